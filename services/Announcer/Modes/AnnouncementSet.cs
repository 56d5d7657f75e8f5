using Beacon.Announcer.Modes.Peers;

namespace Beacon.Announcer.Modes;

/// <summary>Everything this node must announce right now: the complete desired state, never a delta.</summary>
/// <param name="ResourcePeers">BGP sessions resources ask this node to run (routing modes render them; l2 ignores them).</param>
/// <param name="PeerProblems">Why a resource peer that selects this node is not configured (a missing password file…).</param>
public sealed record AnnouncementSet(
    IReadOnlyList<AnnouncedAddress> Addresses,
    IReadOnlyList<ResourcePeer>? ResourcePeers = null,
    IReadOnlyList<string>? PeerProblems = null)
{
    public static AnnouncementSet Empty { get; } = new([]);

    public IReadOnlyList<ResourcePeer> Peers => ResourcePeers ?? [];

    public IReadOnlyList<string> Problems => PeerProblems ?? [];

    public IEnumerable<AnnouncedAddress> OfKind(AddressKind kind) => Addresses.Where(a => a.Kind == kind);
}
