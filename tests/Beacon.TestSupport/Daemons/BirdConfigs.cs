using System.Globalization;
using System.Text;

namespace Beacon.TestSupport.Daemons;

/// <summary>
/// BIRD configs for labs, with test timers (hold 3 s, keepalive 1 s, BFD 100 ms x 3, fast reconnects):
/// an upstream router that installs every learned route with ECMP, and a node that exports what the bird mode
/// writes into its include file.
/// </summary>
public static class BirdConfigs
{
    private const string Timers = "hold time 3; keepalive time 1; connect delay time 1; connect retry time 1; error wait time 1, 2;";

    /// <summary>A router peering with <paramref name="peers"/>; BFD on every session when <paramref name="bfd"/>.</summary>
    public static string Router(string routerId, uint asn, IEnumerable<BgpPeer> peers, bool bfd)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"router id {routerId};\n");
        text.Append("protocol device { scan time 1; }\n");
        // merge paths: one kernel route with a next hop per node (ECMP) instead of one best path.
        text.Append("protocol kernel kernel4 { ipv4 { import none; export all; }; merge paths on; }\n");
        text.Append("protocol kernel kernel6 { ipv6 { import none; export all; }; merge paths on; }\n");
        AppendBfd(text, bfd);
        foreach (var peer in peers)
        {
            var family = peer.IsIPv6 ? "ipv6" : "ipv4";
            text.Append(CultureInfo.InvariantCulture, $"protocol bgp {peer.Name} {{\n  local as {asn};\n  neighbor {peer.Address} as {peer.Asn};\n");
            text.Append("  ").Append(Timers).Append('\n');
            text.Append(bfd ? "  bfd on;\n" : "");
            text.Append(CultureInfo.InvariantCulture, $"  {family} {{ import all; export none; }};\n}}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// A node announcing the static protocols <c>PREFIX4</c>/<c>PREFIX6</c> of <paramref name="includePath"/> to
    /// its upstream <paramref name="peers"/>, importing nothing.
    /// </summary>
    public static string Node(string routerId, uint asn, IEnumerable<BgpPeer> peers, string includePath, bool bfd, string protocolPrefix = "beacon")
    {
        ArgumentNullException.ThrowIfNull(peers);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"router id {routerId};\n");
        text.Append("protocol device { scan time 1; }\n");
        AppendBfd(text, bfd);
        text.Append(CultureInfo.InvariantCulture, $"include \"{includePath}\";\n");
        foreach (var peer in peers)
        {
            var (family, proto) = peer.IsIPv6 ? ("ipv6", protocolPrefix + "6") : ("ipv4", protocolPrefix + "4");
            text.Append(CultureInfo.InvariantCulture, $"protocol bgp {peer.Name} {{\n  local as {asn};\n  neighbor {peer.Address} as {peer.Asn};\n");
            text.Append("  ").Append(Timers).Append('\n');
            text.Append(bfd ? "  bfd on;\n" : "");
            text.Append(CultureInfo.InvariantCulture, $"  {family} {{ import none; export where proto = \"{proto}\"; }};\n}}\n");
        }

        return text.ToString();
    }

    private static void AppendBfd(StringBuilder text, bool bfd)
    {
        if (bfd)
        {
            text.Append("protocol bfd { interface \"*\" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }\n");
        }
    }
}
