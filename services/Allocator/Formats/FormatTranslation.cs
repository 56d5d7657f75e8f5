using Beacon.Contracts;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats;

/// <summary>
/// What foreign resources mean to Beacon: engine pools (one <see cref="ServiceGroupSpec"/> per foreign pool, with its
/// <see cref="ServiceGroupSpec.Kind"/> and <see cref="ServiceGroupSpec.Origin"/> set), how each group's addresses are
/// to be announced (by group name; absent means "as Beacon decides from the subnets"), and every problem found.
/// <see cref="Peers"/> are every valid BGP peer, whether or not an advertisement names it: nodes run their sessions
/// without Services (published on their own, see docs/events.md "BGP peers").
/// </summary>
internal sealed record FormatTranslation(
    IReadOnlyList<ServiceGroupSpec> Pools,
    IReadOnlyDictionary<string, AnnouncementPolicy> Announcements,
    IReadOnlyList<ForeignProblem> Problems)
{
    /// <summary>Every valid BGP peer of the resources, sorted by name (names are unique).</summary>
    public IReadOnlyList<BgpPeerConfig> Peers { get; init; } = [];

    /// <summary>The resource that declared each of <see cref="Peers"/>, by peer name (for "the older wins" on a clash).</summary>
    public IReadOnlyDictionary<string, ForeignResource> PeerOrigins { get; init; } = new Dictionary<string, ForeignResource>(StringComparer.Ordinal);

    /// <summary>Every accepted PureLB LBNodeAgent, sorted by name, for the node agents (docs/events.md "Node agent settings").</summary>
    public IReadOnlyList<NodeAgentConfig> NodeAgents { get; init; } = [];

    public static FormatTranslation Empty { get; } = new([], new Dictionary<string, AnnouncementPolicy>(StringComparer.Ordinal), []);
}
