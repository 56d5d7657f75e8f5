using System.Globalization;
using System.Net;
using Beacon.Announcer.Modes.Peers;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// The <c>gobgp neighbor add/del</c> invocations that take gobgpd's neighbours to the resource peers, and what of each
/// peer the gobgp CLI cannot express. The CLI sets the peer and local AS, the family, the vrf and eBGP multihop; it has
/// no password, port, source address, timers or BFD (gobgpd has no BFD at all). A peer with a password is therefore
/// not configured (never silently without one); the other fields are reported and the session is configured without
/// them. Only neighbours this mode added (<paramref name="owned"/>) are ever deleted. Pure.
/// </summary>
public sealed record GoBgpPeerPlan(IReadOnlyList<IReadOnlyList<string>> Commands, IReadOnlyList<string> Warnings, IReadOnlySet<string> Owned)
{
    private const uint MultihopTtl = 255;

    public static GoBgpPeerPlan Build(IReadOnlyList<GoBgpNeighbor> current, IReadOnlyList<ResourcePeer> desired, IReadOnlySet<string> owned)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(owned);
        var commands = new List<IReadOnlyList<string>>();
        var warnings = new List<string>();
        var have = current.ToDictionary(n => n.Address, StringComparer.Ordinal);
        var wanted = new Dictionary<string, ResourcePeer>(StringComparer.Ordinal);
        foreach (var peer in desired.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (peer.Password is not null)
            {
                warnings.Add($"peer '{peer.Name}' has a password, which the gobgp CLI cannot set: the session is not configured (use the bird or frr mode, or configure it in gobgpd.conf)");
                continue;
            }

            var ignored = Unsupported(peer);
            if (ignored.Count > 0)
            {
                warnings.Add($"peer '{peer.Name}': {string.Join(", ", ignored)} cannot be set through the gobgp CLI; the session runs without");
            }

            wanted[IPAddress.Parse(peer.Config.PeerAddress).ToString()] = peer;
        }

        foreach (var address in owned.Where(a => !wanted.ContainsKey(a) && have.ContainsKey(a)).Order(StringComparer.Ordinal))
        {
            commands.Add(["neighbor", "del", address]);
        }

        foreach (var (address, peer) in wanted)
        {
            if (have.TryGetValue(address, out var existing))
            {
                if (Matches(existing, peer))
                {
                    continue;
                }

                commands.Add(["neighbor", "del", address]);
            }

            commands.Add(AddCommand(address, peer));
        }

        return new GoBgpPeerPlan(commands, warnings, wanted.Keys.ToHashSet(StringComparer.Ordinal));
    }

    private static List<string> Unsupported(ResourcePeer peer)
    {
        var c = peer.Config;
        var ignored = new List<string>();
        if (c.Bfd is not null)
        {
            ignored.Add($"BFD (profile '{c.Bfd.Name}': gobgpd has no BFD)");
        }

        if (c.PeerPort is not null)
        {
            ignored.Add("peerPort");
        }

        if (c.SourceAddress is not null)
        {
            ignored.Add("sourceAddress");
        }

        if (c.HoldTime is not null || c.KeepaliveTime is not null)
        {
            ignored.Add("holdTime/keepaliveTime");
        }

        return ignored;
    }

    private static bool Matches(GoBgpNeighbor existing, ResourcePeer peer) =>
        existing.PeerAsn == peer.Config.PeerAsn
        && (existing.LocalAsn == 0 || existing.LocalAsn == peer.Config.MyAsn)
        && existing.Vrf == (peer.Config.Vrf ?? "")
        && (existing.MultihopTtl != 0) == peer.Config.EbgpMultiHop;

    private static List<string> AddCommand(string address, ResourcePeer peer)
    {
        var c = peer.Config;
        var args = new List<string>
        {
            "neighbor", "add", address, "as", c.PeerAsn.ToString(CultureInfo.InvariantCulture),
            "local-as", c.MyAsn.ToString(CultureInfo.InvariantCulture),
            "family", peer.IsIPv6 ? "ipv6-unicast" : "ipv4-unicast",
        };
        if (c.Vrf is { Length: > 0 } vrf)
        {
            args.AddRange(["vrf", vrf]);
        }

        if (c.EbgpMultiHop)
        {
            args.AddRange(["ebgp-multihop-ttl", MultihopTtl.ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }
}
