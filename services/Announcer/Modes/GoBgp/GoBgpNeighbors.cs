using System.Net;
using System.Text.Json;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>Reads <c>gobgp neighbor -j</c> (gobgpd's peers as its API returns them). Pure.</summary>
public static class GoBgpNeighbors
{
    public static IReadOnlyList<GoBgpNeighbor> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var neighbors = new List<GoBgpNeighbor>();
        foreach (var peer in document.RootElement.EnumerateArray())
        {
            if (!peer.TryGetProperty("conf", out var conf) || Text(conf, "neighbor_address") is not { } address || !IPAddress.TryParse(address, out var ip))
            {
                continue;
            }

            var ttl = Object(peer, "ebgp_multihop") is { } multihop && multihop.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.True
                ? Number(multihop, "multihop_ttl")
                : 0;
            var transport = Object(peer, "transport");
            var timers = Object(peer, "timers") is { } t ? Object(t, "config") : null;
            neighbors.Add(new GoBgpNeighbor(
                ip.ToString(), Number(conf, "peer_asn"), Number(conf, "local_asn"), Text(conf, "vrf") ?? "", ttl,
                Text(conf, "auth_password") ?? "",
                transport is { } r ? Number(r, "remote_port") : 0,
                transport is { } l ? Text(l, "local_address") ?? "" : "",
                timers is { } h ? Number(h, "hold_time") : 0,
                timers is { } k ? Number(k, "keepalive_interval") : 0));
        }

        return neighbors;
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static uint Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var n) ? n : 0;
}
