namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// The resource peers FRR's running configuration holds: neighbours whose description Beacon wrote
/// (<c>PREFIX-peer NAME HASH</c>, by address, the hash of their rendered commands), Beacon's BFD profiles, and the
/// outbound route-maps (<see cref="FrrPeerExport"/>) with their prefix-lists and which neighbour uses which.
/// </summary>
/// <param name="ExportBindings">By neighbour address: the Beacon route-map it has as <c>route-map … out</c>.</param>
public sealed record FrrPeerState(
    IReadOnlyDictionary<string, string> Neighbors,
    IReadOnlySet<string> BfdProfiles,
    IReadOnlySet<string>? ExportRouteMaps = null,
    IReadOnlyDictionary<string, string>? ExportPrefixLists = null,
    IReadOnlyDictionary<string, string>? ExportBindings = null)
{
    public IReadOnlySet<string> RouteMaps => ExportRouteMaps ?? new HashSet<string>();

    /// <summary>Prefix-list name to FRR's family keyword (<c>ip</c>, <c>ipv6</c>).</summary>
    public IReadOnlyDictionary<string, string> PrefixLists => ExportPrefixLists ?? new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Bindings => ExportBindings ?? new Dictionary<string, string>();

    /// <summary>Reads Beacon's neighbours of the default-VRF <c>router bgp</c> (of <paramref name="asn"/> when given). Pure.</summary>
    public static FrrPeerState Parse(string runningConfig, string prefix, long? asn)
    {
        ArgumentNullException.ThrowIfNull(runningConfig);
        var neighbors = new Dictionary<string, string>(StringComparer.Ordinal);
        var profiles = new SortedSet<string>(StringComparer.Ordinal);
        var maps = new SortedSet<string>(StringComparer.Ordinal);
        var lists = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var bindings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? block = null;
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
                if (words is ["route-map", var map, ..] && FrrPeerExport.IsExportName(map, prefix))
                {
                    maps.Add(map);
                }
                else if (words is ["ip" or "ipv6", "prefix-list", var list, ..] && FrrPeerExport.IsExportName(list, prefix))
                {
                    lists[list] = words[0];
                }

                block = words switch
                {
                    ["router", "bgp", var n] when asn is null || n == asn.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) => "bgp",
                    ["bfd"] => "bfd",
                    _ => null,
                };
                continue;
            }

            if (block == "bgp" && words is ["neighbor", var address, "description", var tag, _, var hash] && tag == prefix + "-peer")
            {
                neighbors[address] = hash;
            }
            else if (block == "bgp" && words is ["neighbor", var bound, "route-map", var boundMap, "out"] && FrrPeerExport.IsExportName(boundMap, prefix))
            {
                bindings[bound] = boundMap;
            }
            else if (block == "bfd" && words is ["profile", var profile] && profile.StartsWith(prefix + "-bfd-", StringComparison.Ordinal))
            {
                profiles.Add(profile);
            }
        }

        return new FrrPeerState(neighbors, profiles, maps, lists, bindings);
    }
}
