using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>
/// Which routes each resource peer is sent: the addresses whose advertisements name it (an advertisement without a
/// <c>peers</c> list names every peer), aggregated as <see cref="RoutePlanner"/> does, with that peer's attributes.
/// A peer with no route still gets its session (a peer exists without Services). Pure; sorted by peer name.
/// </summary>
public static class PeerPlanner
{
    public static IReadOnlyList<PeerRoutes> Plan(AnnouncementSet desired, bool includeLocalOwners)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return desired.Peers
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(peer => new PeerRoutes(peer, RoutePlanner.Plan(
                new AnnouncementSet([.. desired.Addresses
                    .Where(a => a.Advertisements.Any(p => p.Peer == peer.Name))
                    .Select(a => a with { Attributes = a.Advertisements.Where(p => p.Peer == peer.Name).Select(p => p.Attributes).Aggregate(a.Attributes, (x, y) => x.Merge(y)) })]),
                includeLocalOwners)))
            .ToList();
    }
}
