using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>Numbers in JSON nodes, whether parsed from a request or built in code (JsonValue&lt;int&gt; does not convert to long).</summary>
internal static class JsonNumber
{
    public static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static double? Real(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
}
