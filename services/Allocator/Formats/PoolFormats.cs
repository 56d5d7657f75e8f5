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

    public FormatTranslation Translate(IEnumerable<ForeignResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var pools = new List<ServiceGroupSpec>();
        var announcements = new Dictionary<string, AnnouncementPolicy>(StringComparer.Ordinal);
        var problems = new List<ForeignProblem>();
        var peers = new List<BgpPeerCandidate>();
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

            peers.AddRange(translation.Peers.Select(p => new BgpPeerCandidate(p, translation.PeerOrigins.GetValueOrDefault(p.Name))));
            agents.AddRange(translation.NodeAgents);
        }

        // A MetalLB BGPPeer and an OpenELB BgpPeer of the same name, or for the same session (address, port, vrf), would
        // be one daemon session: the older resource keeps it, whatever the order of reading, and the other is rejected naming it.
        var resolution = BgpPeerPrecedence.Resolve(peers);
        problems.AddRange(resolution.Problems);
        if (resolution.Replaced.Count > 0)
        {
            foreach (var (group, policy) in announcements.ToList())
            {
                announcements[group] = policy with { Bgp = [.. policy.Bgp.Select(b => b with { Peers = Redirected(b.Peers, resolution.Replaced) })] };
            }
        }

        // Duplicate names (also against purelb.io ServiceGroups) are rejected by the engine's catalog, naming both kinds.
        return new FormatTranslation(pools, announcements, problems) { Peers = resolution.Kept, NodeAgents = [.. agents.OrderBy(a => a.Name, StringComparer.Ordinal)] };
    }

    /// <summary>An advertisement's peers with each rejected one replaced by the peer that kept its session (or left out).</summary>
    private static IReadOnlyList<BgpPeerConfig> Redirected(IReadOnlyList<BgpPeerConfig> peers, IReadOnlyList<(BgpPeerConfig Loser, BgpPeerConfig? Winner)> replaced) =>
        [.. peers.Select(p => replaced.FirstOrDefault(r => ReferenceEquals(r.Loser, p)) is { Loser: not null } r ? r.Winner : p).OfType<BgpPeerConfig>().Distinct()];
}
