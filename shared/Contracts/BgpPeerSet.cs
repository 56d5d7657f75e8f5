namespace Beacon.Contracts;

/// <summary>
/// Every BGP peer the cluster's resources configure (MetalLB BGPPeer with its BFDProfile, OpenELB BgpPeer), on
/// <c>beacon.v1.bgp.peers</c>, kept by the BEACON_BGP_PEERS stream as one last value: the whole set in each message, so
/// a message replaces the previous set and a peer missing from it is deleted. A node runs a session for every peer
/// whose node selectors match it, with or without Services. Passwords never travel: see <see cref="BgpPeerConfig"/>.
/// </summary>
/// <param name="Peers">Sorted by name; empty when no peer is configured (still published, so nodes drop every session).</param>
public sealed record BgpPeerSet(IReadOnlyList<BgpPeerConfig> Peers);
