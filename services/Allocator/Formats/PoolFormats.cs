using Beacon.Contracts;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats;

/// <summary>
/// Every foreign format Beacon reads, and the one place their objects are turned into pools: each object is checked
/// against its format's schema, each format translates its valid objects, and the results are combined. Pure.
/// </summary>
internal sealed class PoolFormats
{
    public PoolFormats(IReadOnlyList<IPoolFormat> formats)
    {
        Formats = formats ?? throw new ArgumentNullException(nameof(formats));
    }

    /// <summary>The formats the Allocator reads (one line each, so adding a format is a one-line change).</summary>
    public static PoolFormats Default { get; } = new(
    [
        MetalLb.MetalLbFormat.Instance,
        new OpenElb.OpenElbFormat(),
        new PureLbV2.PureLbV2Format(),
    ]);

    public IReadOnlyList<IPoolFormat> Formats { get; }

    /// <summary>The format reading objects of this apiVersion and kind, or null.</summary>
    public IPoolFormat? For(string? apiVersion, string? kind) =>
        apiVersion is null || kind is null ? null : Formats.FirstOrDefault(f => f.Reads(apiVersion, kind));

    /// <summary>Whether some format reads this apiVersion and kind.</summary>
    public bool Reads(string? apiVersion, string? kind) => For(apiVersion, kind) is not null;

    /// <summary>What makes two peers one daemon session: address (canonical), port and vrf.</summary>
    private static string SessionOf(BgpPeerConfig peer) =>
        $"{(System.Net.IPAddress.TryParse(peer.PeerAddress, out var address) ? address.ToString() : peer.PeerAddress)} port {peer.PeerPort ?? 179} vrf '{peer.Vrf ?? ""}'";

    public FormatTranslation Translate(IEnumerable<ForeignResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var pools = new List<ServiceGroupSpec>();
        var announcements = new Dictionary<string, AnnouncementPolicy>(StringComparer.Ordinal);
        var problems = new List<ForeignProblem>();
        var peers = new SortedDictionary<string, BgpPeerConfig>(StringComparer.Ordinal);
        var agents = new List<NodeAgentConfig>();
        var list = resources.ToList();
        foreach (var format in Formats)
        {
            var valid = new List<ForeignResource>();
            foreach (var resource in list.Where(r => format.Reads(r.ApiVersion, r.Kind) && format.Claims(r)))
            {
                var violations = format.Validate(resource);
                problems.AddRange(violations);
                if (!violations.Any(v => v.Rejected))
                {
                    valid.Add(resource);
                }
            }

            if (valid.Count == 0)
            {
                continue;
            }

            var translation = format.Translate(valid);
            problems.AddRange(translation.Problems);
            pools.AddRange(translation.Pools);
            foreach (var (group, policy) in translation.Announcements)
            {
                announcements.TryAdd(group, policy);
            }

            foreach (var peer in translation.Peers)
            {
                // A MetalLB BGPPeer and an OpenELB BgpPeer of the same name, or for the same session (address, port, vrf),
                // would be one daemon session: the first format's wins and the other is rejected naming it, never dropped silently.
                var clash = peers.Values.FirstOrDefault(p => p.Name == peer.Name || SessionOf(p) == SessionOf(peer));
                if (clash is null)
                {
                    peers.Add(peer.Name, peer);
                    continue;
                }

                var resource = valid.FirstOrDefault(r => r.Kind.Equals("BgpPeer", StringComparison.OrdinalIgnoreCase) && r.Name == peer.Name);
                var message = clash.Name == peer.Name
                    ? $"a BGP peer named '{peer.Name}' is already configured by another format's resource; rename one of them"
                    : $"the same session ({SessionOf(peer)}) is already configured by BGP peer '{clash.Name}' of another format";
                problems.Add(resource is null
                    ? new ForeignProblem($"BGP peer {peer.Name}", "", "", message)
                    : ForeignProblem.Of(resource, "", message));
            }

            agents.AddRange(translation.NodeAgents);
        }

        // Duplicate names (also against purelb.io ServiceGroups) are rejected by the engine's catalog, naming both kinds.
        return new FormatTranslation(pools, announcements, problems) { Peers = [.. peers.Values], NodeAgents = [.. agents.OrderBy(a => a.Name, StringComparer.Ordinal)] };
    }
}
