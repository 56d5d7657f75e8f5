namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// The resource peers FRR's running configuration holds: neighbours whose description Beacon wrote
/// (<c>PREFIX-peer NAME HASH</c>, by address, the hash of their rendered commands) and Beacon's BFD profiles.
/// </summary>
public sealed record FrrPeerState(IReadOnlyDictionary<string, string> Neighbors, IReadOnlySet<string> BfdProfiles)
{
    /// <summary>Reads Beacon's neighbours of the default-VRF <c>router bgp</c> (of <paramref name="asn"/> when given). Pure.</summary>
    public static FrrPeerState Parse(string runningConfig, string prefix, long? asn)
    {
        ArgumentNullException.ThrowIfNull(runningConfig);
        var neighbors = new Dictionary<string, string>(StringComparer.Ordinal);
        var profiles = new SortedSet<string>(StringComparer.Ordinal);
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
            else if (block == "bfd" && words is ["profile", var profile] && profile.StartsWith(prefix + "-bfd-", StringComparison.Ordinal))
            {
                profiles.Add(profile);
            }
        }

        return new FrrPeerState(neighbors, profiles);
    }
}
