using System.Globalization;
using System.Text;

namespace Beacon.TestSupport.Daemons;

/// <summary>gobgpd TOML configs for lab nodes, with test timers (keepalive 1 s, hold 3 s, connect retry 1 s).</summary>
public static class GoBgpConfigs
{
    /// <summary>A node that does not listen (port -1) and connects to <paramref name="peers"/>, one address family each.</summary>
    public static string Node(string routerId, uint asn, IEnumerable<BgpPeer> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[global.config]\n  as = {asn}\n  router-id = \"{routerId}\"\n  port = -1\n");
        foreach (var peer in peers)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"{peer.Address}\"\n    peer-as = {peer.Asn}\n");
            text.Append("  [neighbors.timers.config]\n    connect-retry = 1\n    hold-time = 3\n    keepalive-interval = 1\n");
            text.Append(CultureInfo.InvariantCulture, $"  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"{(peer.IsIPv6 ? "ipv6" : "ipv4")}-unicast\"\n");
        }

        return text.ToString();
    }
}
