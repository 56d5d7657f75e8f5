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
    IReadOnlyDictionary<string, string>? ExportBindings = null,
    IReadOnlyDictionary<string, FrrVrfState>? VrfInstances = null)
{
    /// <summary>By vrf name: Beacon's part of that vrf's <c>router bgp ASN vrf NAME</c>.</summary>
    public IReadOnlyDictionary<string, FrrVrfState> Vrfs => VrfInstances ?? new Dictionary<string, FrrVrfState>();

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
        var vrfs = new SortedDictionary<string, VrfReader>(StringComparer.Ordinal);
        var number = asn?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? block = null;
        VrfReader? vrf = null;
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
                    ["router", "bgp", var n] when number is null || n == number => "bgp",
                    ["router", "bgp", var n, "vrf", _] when number is null || n == number => "vrf",
                    ["bfd"] => "bfd",
                    _ => null,
                };
                vrf = block == "vrf" ? (vrfs.TryGetValue(words[4], out var known) ? known : vrfs[words[4]] = new VrfReader()) : null;
                continue;
            }

            if (vrf is not null)
            {
                vrf.Read(words, prefix);
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

        return new FrrPeerState(neighbors, profiles, maps, lists, bindings,
            vrfs.Where(v => v.Value.IsBeacons).ToDictionary(v => v.Key, v => v.Value.State(), StringComparer.Ordinal));
    }

    /// <summary>Collects one vrf instance's lines: Beacon's, and whether anything else is there.</summary>
    private sealed class VrfReader
    {
        private readonly Dictionary<string, string> _neighbors = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _bindings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _networks = new(StringComparer.Ordinal);
        private readonly HashSet<string> _addresses = new(StringComparer.Ordinal);
        private string _family = "";
        private bool _otherLines;

        public bool IsBeacons => _neighbors.Count > 0 || _networks.Count > 0;

        public void Read(string[] words, string prefix)
        {
            switch (words)
            {
                case ["neighbor", var address, "description", var tag, _, var hash] when tag == prefix + "-peer":
                    _neighbors[address] = hash;
                    _addresses.Add(address);
                    break;
                case ["neighbor", var address, "route-map", var map, "out"] when FrrPeerExport.IsExportName(map, prefix):
                    _bindings[address] = map;
                    _addresses.Add(address);
                    break;
                case ["neighbor", var address, ..]:
                    _addresses.Add(address);
                    break;
                case ["network", var network, "route-map", var map] when map == FrrPeerPlan.VrfNetworkMap(prefix):
                    _networks[network] = _family;
                    break;
                case ["address-family", var family, "unicast"]:
                    _family = family;
                    break;
                case ["exit-address-family"] or ["exit"] or ["!"] or ["no", "bgp", "ebgp-requires-policy"] or ["no", "bgp", "network", "import-check"]:
                    break;
                default:
                    _otherLines = true;
                    break;
            }
        }

        public FrrVrfState State() =>
            new(_neighbors, _bindings, _networks, _otherLines || _addresses.Any(a => !_neighbors.ContainsKey(a)));
    }
}
