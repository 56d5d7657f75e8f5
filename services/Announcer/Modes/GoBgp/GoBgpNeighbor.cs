namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// A neighbour as gobgpd reports it (<c>gobgp neighbor -j</c>): its configured session, not its state. Zero / empty
/// where gobgpd reports nothing.
/// </summary>
public sealed record GoBgpNeighbor(
    string Address,
    uint PeerAsn,
    uint LocalAsn,
    string Vrf,
    uint MultihopTtl,
    string Password = "",
    uint RemotePort = 0,
    string LocalAddress = "",
    uint HoldTime = 0,
    uint KeepaliveInterval = 0);
