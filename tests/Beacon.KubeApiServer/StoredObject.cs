using System.Globalization;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>Accessors for the metadata of objects held as JSON.</summary>
public static class StoredObject
{
    public static JsonObject Metadata(JsonObject item) =>
        item["metadata"] as JsonObject ?? throw ApiError.BadRequest("Object has no metadata.");

    public static string Name(JsonObject item) => (string?)item["metadata"]?["name"] ?? string.Empty;

    public static string? Namespace(JsonObject item) => (string?)item["metadata"]?["namespace"];

    public static string? ResourceVersion(JsonObject item) => (string?)item["metadata"]?["resourceVersion"];

    public static long Version(JsonObject item) =>
        long.TryParse(ResourceVersion(item), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    public static Dictionary<string, string> Labels(JsonObject item)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = value?.ToString() ?? string.Empty;
            }
        }

        return result;
    }

    public static string Key(string? @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";
}
