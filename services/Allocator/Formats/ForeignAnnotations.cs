using System.Text.Json.Nodes;

namespace Beacon.Allocator.Formats;

/// <summary>A foreign resource's <c>metadata.annotations</c> (non-string values read as their JSON text).</summary>
internal static class ForeignAnnotations
{
    public static IReadOnlyDictionary<string, string> Of(ForeignResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource.Body["metadata"]?["annotations"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                annotations[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
            }
        }

        return annotations;
    }
}
