using System.Globalization;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiError.BadRequest("the JSON patch must be an array of operations");
        }

        JsonNode document = target.DeepClone();
        foreach (var operation in operations)
        {
            var op = (string?)operation?["op"];
            var path = (string?)operation?["path"] ?? throw ApiError.BadRequest($"JSON patch operation {operation?.ToJsonString()} has no path");
            switch (op)
            {
                case "add":
                    document = Add(document, path, Required(operation!, "value"));
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, Required(operation!, "value"));
                    break;
                case "move":
                    var moved = Get(document, From(operation!));
                    Remove(document, From(operation!));
                    document = Add(document, path, moved);
                    break;
                case "copy":
                    document = Add(document, path, Get(document, From(operation!)));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation!["value"]))
                    {
                        throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }

                    break;
                default:
                    throw ApiError.BadRequest($"Unexpected kind of JSON patch operation: '{op}'");
            }
        }

        return document as JsonObject ?? throw ApiError.BadRequest("the JSON patch did not produce an object");
    }

    private static string From(JsonNode operation) => (string?)operation["from"] ?? throw ApiError.BadRequest($"JSON patch operation {operation.ToJsonString()} has no from");

    private static JsonNode? Required(JsonNode operation, string field) =>
        operation is JsonObject o && o.TryGetPropertyValue(field, out var value)
            ? value?.DeepClone()
            : throw ApiError.BadRequest($"JSON patch operation {operation.ToJsonString()} has no {field}");

    private static string[] Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiError.BadRequest($"JSON pointer '{path}' does not start with '/'");
        }

        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a => a[Index(token, a.Count - 1)],
                _ => throw Missing(path),
            };
        }

        return node?.DeepClone();
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value ?? throw ApiError.BadRequest("cannot replace the whole document with null");
        }

        switch (Parent(document, tokens, path))
        {
            case JsonObject o:
                o[tokens[^1]] = value;
                break;
            case JsonArray a when tokens[^1] == "-":
                a.Add(value);
                break;
            case JsonArray a:
                a.Insert(Index(tokens[^1], a.Count), value);
                break;
            default:
                throw Missing(path);
        }

        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        var tokens = Tokens(path);
        switch (Parent(document, tokens, path))
        {
            case JsonObject o when o.ContainsKey(tokens[^1]):
                o.Remove(tokens[^1]);
                break;
            case JsonArray a:
                a.RemoveAt(Index(tokens[^1], a.Count - 1));
                break;
            default:
                throw Missing(path);
        }
    }

    private static JsonNode? Parent(JsonNode document, string[] tokens, string path)
    {
        if (tokens.Length == 0)
        {
            throw ApiError.BadRequest($"JSON patch path '{path}' addresses the whole document");
        }

        JsonNode? node = document;
        foreach (var token in tokens[..^1])
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a => a[Index(token, a.Count - 1)],
                _ => throw Missing(path),
            };
        }

        return node;
    }

    private static int Index(string token, int max) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= max
            ? index
            : throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: array index '{token}' is out of bounds");

    private static ApiError Missing(string path) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\"");
}
