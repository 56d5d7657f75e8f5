using System.Net;
using Beacon.Announcer.Modes.Peers;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// The resource peers as gobgpd neighbours (rendered into gobgpd's config file, see <see cref="GoBgpConfigFile"/>),
/// and what of them gobgpd cannot do. Every BGPPeer field becomes neighbour configuration except BFD, which gobgpd
/// does not have: that is reported by name and the session runs without it. A peer whose address is already a
/// neighbour of the operator's part of the file is left out (gobgpd refuses a second neighbour with one address) and
/// reported. Unset timers take MetalLB's defaults: hold time 90 s, keepalive a third of the hold time. Pure.
/// </summary>
public sealed record GoBgpPeerPlan(IReadOnlyList<GoBgpPeer> Peers, IReadOnlyList<string> Warnings)
{
    public const uint MultihopTtl = 255;
    public const uint DefaultHoldTime = 90;

    public static GoBgpPeerPlan Build(IReadOnlyList<ResourcePeer> desired, IReadOnlySet<string> operatorNeighbors)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(operatorNeighbors);
        var peers = new List<GoBgpPeer>();
        var warnings = new List<string>();
        foreach (var peer in desired.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (PeerValidation.Problem(peer.Config) is { } problem)
            {
                warnings.Add(problem + ": the session is not configured");
                continue;
            }

            var address = IPAddress.Parse(peer.Config.PeerAddress).ToString();
            if (operatorNeighbors.Contains(address))
            {
                warnings.Add($"peer '{peer.Name}': {address} is already a neighbour in gobgpd's configuration above Beacon's section: that one is kept and the resource peer is not configured");
                continue;
            }

            if (peers.Any(p => p.Address == address))
            {
                warnings.Add($"peer '{peer.Name}': another peer already has {address}: the session is not configured");
                continue;
            }

            if (peer.Config.Bfd is { } bfd)
            {
                warnings.Add($"peer '{peer.Name}': BFD (profile '{bfd.Name}': gobgpd has no BFD) is not configured; the session runs without");
            }

            peers.Add(Neighbor(peer, address));
        }

        return new GoBgpPeerPlan(peers, warnings);
    }

    private static GoBgpPeer Neighbor(ResourcePeer peer, string address)
    {
        var c = peer.Config;
        var hold = (uint)(PeerValidation.Seconds(c.HoldTime) ?? (int)DefaultHoldTime);
        var keepalive = (uint)(PeerValidation.Seconds(c.KeepaliveTime) ?? (int)(hold / 3));
        return new GoBgpPeer(
            peer.Name, address, c.PeerAsn, c.MyAsn, peer.Password, c.PeerPort,
            c.SourceAddress is { Length: > 0 } source ? IPAddress.Parse(source).ToString() : null,
            hold, keepalive, c.Vrf is { Length: > 0 } vrf ? vrf : null, c.EbgpMultiHop ? MultihopTtl : 0);
    }
}
