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
                // A MetalLB BGPPeer and an OpenELB BgpPeer of the same name would be one daemon session: the first format's wins.
                peers.TryAdd(peer.Name, peer);
            }

            agents.AddRange(translation.NodeAgents);
        }

        // Duplicate names (also against purelb.io ServiceGroups) are rejected by the engine's catalog, naming both kinds.
        return new FormatTranslation(pools, announcements, problems) { Peers = [.. peers.Values], NodeAgents = [.. agents.OrderBy(a => a.Name, StringComparer.Ordinal)] };
    }
}
