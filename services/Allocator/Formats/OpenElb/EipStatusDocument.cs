using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.Status;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>An Eip's <c>.status</c> as written to the API: OpenELB's fields plus <c>conditions: [Ready]</c>. Pure.</summary>
internal static class EipStatusDocument
{
    public static JsonObject ToJson(EipObservedStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var json = JsonSerializer.SerializeToNode(status.Eip, OpenElbJsonContext.Default.EipStatus) as JsonObject ?? [];
        json["conditions"] = new JsonArray(JsonSerializer.SerializeToNode(status.Ready, OpenElbJsonContext.Default.ReadyCondition));
        return json;
    }

    /// <summary>The Ready condition the Eip carries now (so its transition time is kept), or null.</summary>
    public static ReadyCondition? Ready(ForeignResource eip)
    {
        ArgumentNullException.ThrowIfNull(eip);
        if (eip.Body["status"]?["conditions"] is not JsonArray conditions)
        {
            return null;
        }

        try
        {
            return conditions.OfType<JsonObject>().Where(c => c["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == ReadyCondition.Type)
                .Select(c => c.Deserialize(OpenElbJsonContext.Default.ReadyCondition)).FirstOrDefault();
        }
        catch (JsonException)
        {
            // Someone else's malformed condition: written over with ours.
            return null;
        }
    }
}
