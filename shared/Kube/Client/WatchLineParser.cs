using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Beacon.Kube.Json;
using Beacon.Kube.Models;

namespace Beacon.Kube.Client;

/// <summary>Parses one newline-delimited watch event: {"type": ..., "object": ...}.</summary>
internal static class WatchLineParser
{
    public static WatchEvent<T> Parse<T>(string line, JsonTypeInfo<T> typeInfo, string source)
        where T : KubeObject
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new KubeApiException($"Watch {source} sent a line that is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("type", out var typeElement) || !root.TryGetProperty("object", out var objectElement))
            {
                throw new KubeApiException($"Watch {source} sent an event without type or object.");
            }

            var type = typeElement.GetString();
            if (type == "ERROR")
            {
                var status = objectElement.Deserialize(KubeJsonContext.Default.Status);
                var code = status?.Code is int c ? (HttpStatusCode)c : HttpStatusCode.InternalServerError;
                throw KubeApiException.From(code, status, $"Watch {source}");
            }

            var kind = type switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                _ => throw new KubeApiException($"Watch {source} sent unknown event type '{type}'."),
            };

            var value = objectElement.Deserialize(typeInfo)
                ?? throw new KubeApiException($"Watch {source} sent a {type} event with a null object.");
            return new WatchEvent<T>(kind, value);
        }
    }
}
