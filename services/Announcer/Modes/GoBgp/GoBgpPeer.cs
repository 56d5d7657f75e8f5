using System.Net;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// One resource peer as a gobgpd neighbour: every field of the BGPPeer that gobgpd has (all but BFD), timers in whole
/// seconds as gobgpd takes them. <see cref="Name"/> is the resource's (a comment in the file).
/// </summary>
public sealed record GoBgpPeer(
    string Name,
    string Address,
    uint PeerAsn,
    uint LocalAsn,
    string? Password,
    int? Port,
    string? LocalAddress,
    uint HoldTime,
    uint KeepaliveInterval,
    string? Vrf,
    uint MultihopTtl)
{
    public const int DefaultPort = 179;

    public bool IsIPv6 => Address.Contains(':', StringComparison.Ordinal);

    /// <summary>Whether gobgpd runs this neighbour as configured here (what it reports after a reload).</summary>
    public bool IsConfiguredAs(GoBgpNeighbor neighbor)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        return neighbor.Address == Address
            && neighbor.PeerAsn == PeerAsn
            && neighbor.LocalAsn == LocalAsn
            && neighbor.Password == (Password ?? "")
            && (neighbor.RemotePort == 0 ? DefaultPort : (int)neighbor.RemotePort) == (Port ?? DefaultPort)
            && SameLocalAddress(neighbor.LocalAddress)
            && HasTimersOf(neighbor)
            && neighbor.Vrf == (Vrf ?? "")
            && neighbor.MultihopTtl == MultihopTtl;
    }

    /// <summary>
    /// Whether the neighbour's configured timers are these. gobgpd takes new timers on reload but keeps the running
    /// session's negotiated ones, so a timer change is applied by removing and re-adding the neighbour.
    /// </summary>
    public bool HasTimersOf(GoBgpNeighbor neighbor)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        return neighbor.HoldTime == HoldTime && neighbor.KeepaliveInterval == KeepaliveInterval;
    }

    private bool SameLocalAddress(string reported) => LocalAddress is { } local
        ? IPAddress.TryParse(reported, out var ip) && ip.Equals(IPAddress.Parse(local))
        : reported is "" or "0.0.0.0" or "::";
}
