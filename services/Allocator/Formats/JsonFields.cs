using System.Globalization;
using System.Text.Json.Nodes;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats;

/// <summary>Typed reads of a foreign object's JSON, tolerant of absent fields (schemas have already been checked).</summary>
internal static class JsonFields
{
    public static string? String(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonValue v ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString() : null;

    public static bool? Bool(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b
        : String(node, name) is { } text && bool.TryParse(text, out var parsed) ? parsed : null;

    public static long? Integer(JsonNode? node, string name)
    {
        if ((node as JsonObject)?[name] is JsonValue v)
        {
            if (v.TryGetValue<long>(out var l))
            {
                return l;
            }

            if (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue)
            {
                return (long)d;
            }
        }

        return String(node, name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static IReadOnlyList<string> Strings(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonArray array
            ? array.Select(e => e is JsonValue v ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString() : e?.ToJsonString() ?? string.Empty).ToList()
            : [];

    public static IReadOnlyList<JsonObject> Objects(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonArray array ? array.OfType<JsonObject>().ToList() : [];

    /// <summary>A label selector written as Kubernetes does (matchLabels, matchExpressions) or as MetalLB's legacy
    /// ConfigMap does (match-labels, match-expressions).</summary>
    public static LabelSelector Selector(JsonObject selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var labels = (selector["matchLabels"] ?? selector["match-labels"]) as JsonObject;
        var expressions = (selector["matchExpressions"] ?? selector["match-expressions"]) as JsonArray;
        return new LabelSelector
        {
            MatchLabels = labels?.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString() ?? string.Empty, StringComparer.Ordinal)
                          ?? new Dictionary<string, string>(),
            MatchExpressions = (expressions?.OfType<JsonObject>() ?? [])
                .Select(e => new LabelSelectorRequirement(String(e, "key") ?? string.Empty, String(e, "operator") ?? string.Empty, Strings(e, "values")))
                .ToList(),
        };
    }
}
