using System.Text.Json;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Daemons;

/// <summary>What a namespace's kernel forwards to: the next hops of a route, as a router's FIB sees it.</summary>
public static class KernelRoutes
{
    /// <summary>
    /// Gateways of the route for exactly <paramref name="prefix"/> (e.g. <c>198.19.10.5/32</c>) in the main table,
    /// sorted; empty when there is no such route. An ECMP route yields one gateway per path.
    /// </summary>
    public static async Task<IReadOnlyList<string>> NextHopsAsync(NetworkNamespace host, string prefix)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(prefix);
        var family = prefix.Contains(':', StringComparison.Ordinal) ? "-6" : "-4";
        var result = await host.IpAsync(family, "-j", "route", "show", "exact", prefix);
        return ParseGateways(result.StandardOutput);
    }

    /// <summary>Every destination in the main table installed by <paramref name="protocol"/> (e.g. <c>bird</c>), sorted.</summary>
    public static async Task<IReadOnlyList<string>> DestinationsAsync(NetworkNamespace host, string protocol, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(host);
        var result = await host.IpAsync(ipv6 ? "-6" : "-4", "-j", "route", "show", "proto", protocol);
        using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.StandardOutput) ? "[]" : result.StandardOutput);
        return [.. json.RootElement.EnumerateArray().Select(Destination).Order(StringComparer.Ordinal)];
    }

    public static IReadOnlyList<string> ParseGateways(string ipJson)
    {
        using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(ipJson) ? "[]" : ipJson);
        var gateways = new List<string>();
        foreach (var route in json.RootElement.EnumerateArray())
        {
            if (route.TryGetProperty("nexthops", out var hops))
            {
                gateways.AddRange(hops.EnumerateArray().Where(h => h.TryGetProperty("gateway", out _)).Select(h => h.GetProperty("gateway").GetString()!));
            }
            else if (route.TryGetProperty("gateway", out var gateway))
            {
                gateways.Add(gateway.GetString()!);
            }
        }

        return [.. gateways.Order(StringComparer.Ordinal)];
    }

    // ip prints host routes without a length ("198.19.10.5"); callers compare full prefixes.
    private static string Destination(JsonElement route)
    {
        var dst = route.GetProperty("dst").GetString()!;
        return dst.Contains('/', StringComparison.Ordinal) || dst == "default" ? dst : dst + (dst.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
    }
}
