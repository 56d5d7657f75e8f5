namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>A neighbour as gobgpd reports it, reduced to what the gobgp CLI can set.</summary>
public sealed record GoBgpNeighbor(string Address, uint PeerAsn, uint LocalAsn, string Vrf, uint MultihopTtl);
