namespace Beacon.Announcer.Modes.Peers;

/// <summary>
/// An address goes to the resource peer <paramref name="Peer"/> with these attributes (an advertisement's
/// communities and local-pref, merged with the node-wide ones).
/// </summary>
public sealed record PeerAdvertisement(string Peer, BgpAttributes Attributes);
