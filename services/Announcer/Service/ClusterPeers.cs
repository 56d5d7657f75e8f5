using Beacon.Contracts;
using Beacon.Messaging.Streams;

namespace Beacon.Announcer.Service;

/// <summary>
/// The cluster's BGP peers as this node last read them from <c>beacon.v1.bgp.peers</c> (stream BEACON_BGP_PEERS): each
/// message replaces the whole set, a peer missing from it was deleted; see <see cref="LastValueSet{TSet, TItem}"/>.
/// </summary>
public sealed class ClusterPeers() : LastValueSet<BgpPeerSet, BgpPeerConfig>(
    BeaconStreams.BgpPeers, Subjects.BgpPeers, EventTypes.BgpPeers, "BGP peer", set => set.Peers, peer => peer.Name);
