using System.Globalization;
using System.Text;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Modes.Bird;

/// <summary>
/// Renders resource peers as BIRD protocols: one <c>protocol bgp</c> per peer (AS numbers, port, source address,
/// timers, multihop, password, vrf, BFD with the profile's intervals) whose export filter sends exactly the routes
/// advertised to that peer, setting each route's communities, large communities and local-pref. Routes come from the
/// generated static protocols, so a peer never exports anything else of the node's BIRD. Pure and deterministic.
/// </summary>
public static class BirdPeerRenderer
{
    /// <summary>The BIRD protocol name of a peer: the prefix, <c>_peer_</c>, the name with '-' and '.' as '_'.</summary>
    public static string ProtocolName(string protocolPrefix, string peerName)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        return protocolPrefix + "_peer_" + peerName.Replace('-', '_').Replace('.', '_');
    }

    /// <param name="bfdProtocol">Also render a <c>protocol bfd</c> when a peer uses BFD (off when the operator's own
    /// configuration has one: BIRD runs BFD sessions for BGP through a bfd protocol).</param>
    public static string Render(IReadOnlyList<PeerRoutes> peers, string protocolPrefix, bool bfdProtocol)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var text = new StringBuilder();
        if (bfdProtocol && peers.Any(p => p.Peer.Config.Bfd is not null))
        {
            text.Append("protocol bfd ").Append(protocolPrefix).Append("_bfd { }\n");
        }

        foreach (var (peer, routes) in peers)
        {
            var c = peer.Config;
            text.Append("protocol bgp ").Append(ProtocolName(protocolPrefix, c.Name)).Append(" {\n");
            text.Append("  description \"Beacon peer ").Append(c.Name).Append("\";\n");
            text.Append("  local ").Append(c.SourceAddress is { Length: > 0 } source ? source + " " : "").Append(Invariant($"as {c.MyAsn};\n"));
            text.Append("  neighbor ").Append(c.PeerAddress).Append(c.PeerPort is { } port ? Invariant($" port {port}") : "").Append(Invariant($" as {c.PeerAsn};\n"));
            if (c.Vrf is { Length: > 0 } vrf)
            {
                text.Append("  vrf \"").Append(vrf).Append("\";\n");
            }

            if (PeerValidation.Seconds(c.HoldTime) is { } hold)
            {
                text.Append(Invariant($"  hold time {hold};\n"));
            }

            if (PeerValidation.Seconds(c.KeepaliveTime) is { } keepalive)
            {
                text.Append(Invariant($"  keepalive time {keepalive};\n"));
            }

            if (c.EbgpMultiHop)
            {
                text.Append("  multihop;\n");
            }
            else if (c.MyAsn == c.PeerAsn && c.Bfd is not null && c.SourceAddress is null)
            {
                // BIRD treats iBGP as multihop, and multihop BFD needs a local address: without one the peer is taken
                // as what MetalLB users mean, a router on the node's own link (single-hop BFD).
                text.Append("  direct;\n");
            }

            if (peer.Password is { } password)
            {
                text.Append("  password \"").Append(password).Append("\";\n");
            }

            AppendBfd(text, c.Bfd);
            var family = peer.IsIPv6 ? "ipv6" : "ipv4";
            text.Append("  ").Append(family).Append(" { import none; next hop self; export filter { if proto != \"")
                .Append(protocolPrefix).Append(peer.IsIPv6 ? '6' : '4').Append("\" then reject;");
            foreach (var route in routes.Where(r => r.IsIPv6 == peer.IsIPv6))
            {
                text.Append(" if net = ").Append(route.Prefix.ToString()).Append(" then {");
                BirdConfigRenderer.AppendStatements(text, route.Attributes);
                text.Append(" accept; }");
            }

            text.Append(" reject; }; };\n}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// What of the peers' BFD profiles BIRD cannot do, one line per peer: BIRD's BFD has no echo mode (so neither
    /// <c>echoMode</c> nor <c>echoInterval</c>) and no minimum TTL for multihop sessions (BGP's <c>ttl security</c> is
    /// GTSM on the BGP session, not the BFD check <c>minimumTtl</c> asks for). The session runs without them.
    /// </summary>
    public static IReadOnlyList<string> NotRendered(IReadOnlyList<PeerRoutes> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var warnings = new List<string>();
        foreach (var (peer, _) in peers)
        {
            if (peer.Config.Bfd is not { } bfd)
            {
                continue;
            }

            var fields = new List<string>();
            if (bfd.EchoMode is true)
            {
                fields.Add("echoMode");
            }

            if (bfd.EchoInterval is not null)
            {
                fields.Add("echoInterval");
            }

            if (bfd.MinimumTtl is not null)
            {
                fields.Add("minimumTtl");
            }

            if (fields.Count > 0)
            {
                warnings.Add($"peer '{peer.Name}': BFD profile '{bfd.Name}' sets {string.Join(", ", fields)}, which BIRD's BFD does not have (no echo mode, no minimum TTL): its BFD session runs without (use the frr mode for them)");
            }
        }

        return warnings;
    }

    private static void AppendBfd(StringBuilder text, Contracts.BfdProfileConfig? bfd)
    {
        if (bfd is null)
        {
            return;
        }

        var options = new List<string>();
        if (bfd.ReceiveInterval is { } rx)
        {
            options.Add(Invariant($"min rx interval {rx} ms;"));
        }

        if (bfd.TransmitInterval is { } tx)
        {
            options.Add(Invariant($"min tx interval {tx} ms;"));
        }

        if (bfd.DetectMultiplier is { } multiplier)
        {
            options.Add(Invariant($"multiplier {multiplier};"));
        }

        if (bfd.PassiveMode is { } passive)
        {
            options.Add(passive ? "passive on;" : "passive off;");
        }

        text.Append(options.Count == 0 ? "  bfd on;\n" : "  bfd { " + string.Join(' ', options) + " };\n");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
