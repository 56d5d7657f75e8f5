using System.Globalization;
using System.Net;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// Reads Beacon's part out of <c>show running-config</c>. Pure. Relies on FRR's stable rendering: top-level
/// statements unindented, <c>address-family</c> blocks indented once, their statements twice.
/// </summary>
public static class FrrRunningConfig
{
    public static FrrBeaconState Parse(string runningConfig, string routeMapPrefix, long? asn)
    {
        ArgumentNullException.ThrowIfNull(runningConfig);
        var asns = new List<long>();
        var networks = new Dictionary<IPNetwork, string>();
        var routeMaps = new SortedSet<string>(StringComparer.Ordinal);
        long? currentAsn = null;
        var inFamily = false;
        foreach (var raw in runningConfig.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (!line.StartsWith(' '))
            {
                // A top-level statement ends any router block.
                currentAsn = null;
                inFamily = false;
                if (words is ["router", "bgp", var number] && uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    asns.Add(parsed);
                    currentAsn = parsed;
                }
                else if (words is ["route-map", var name, ..] && IsOurs(name, routeMapPrefix))
                {
                    routeMaps.Add(name);
                }

                continue;
            }

            if (currentAsn is null || (asn is not null && currentAsn != asn))
            {
                continue;
            }

            if (words is ["address-family", "ipv4" or "ipv6", "unicast"])
            {
                inFamily = true;
            }
            else if (words is ["exit-address-family"])
            {
                inFamily = false;
            }
            else if (inFamily && words is ["network", var prefix, "route-map", var map] && IsOurs(map, routeMapPrefix)
                     && IPNetwork.TryParse(prefix, out var network))
            {
                networks[network] = map;
            }
        }

        return new FrrBeaconState(asns, networks, routeMaps);
    }

    /// <summary>A network route-map of Beacon's (the outbound ones of resource peers are <see cref="FrrPeerExport"/>'s).</summary>
    public static bool IsOurs(string routeMapName, string routeMapPrefix) =>
        routeMapName.StartsWith(routeMapPrefix + "-", StringComparison.Ordinal) && !FrrPeerExport.IsExportName(routeMapName, routeMapPrefix);
}
