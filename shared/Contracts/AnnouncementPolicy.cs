namespace Beacon.Contracts;

/// <summary>
/// How a group's addresses are to be announced when its configuration says so explicitly (MetalLB's L2Advertisement /
/// BGPAdvertisement, OpenELB's Eip protocol): which nodes may announce, on which interfaces, and with which BGP
/// attributes to which peers. Absent on <see cref="AllocationChanged"/> for PureLB ServiceGroups: nodes then decide from
/// subnets alone, as before.
/// </summary>
/// <param name="Announced">False when the pool is allocated from but nothing advertises it (MetalLB: a pool without
/// any advertisement): nodes must not answer ARP/NDP for its addresses nor route them.</param>
/// <param name="Layer2">Every layer-2 advertisement covering the group; a node may answer for the address when any matches it.</param>
/// <param name="Bgp">Every BGP advertisement covering the group; each applies on its own (MetalLB advertises once per match).</param>
public sealed record AnnouncementPolicy(
    bool Announced,
    IReadOnlyList<Layer2Announcement> Layer2,
    IReadOnlyList<BgpAnnouncement> Bgp);
