using System.Globalization;
using System.Text;

namespace Beacon.TestSupport.Daemons;

/// <summary>bgpd configs for lab nodes, with test timers (keepalive 1 s, hold 3 s, connect retry 1 s).</summary>
public static class FrrConfigs
{
    /// <summary>
    /// A node's BGP instance peering with <paramref name="peers"/>, each activated only in its own address family.
    /// Networks may be announced before they are in the RIB (<c>no bgp network import-check</c>), and eBGP needs no
    /// explicit policy: the frr mode's route-maps are the policy.
    /// </summary>
    public static string Node(string routerId, uint asn, IEnumerable<BgpPeer> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var list = peers.ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"frr defaults traditional\nrouter bgp {asn}\n bgp router-id {routerId}\n");
        text.Append(" no bgp ebgp-requires-policy\n no bgp network import-check\n no bgp default ipv4-unicast\n timers bgp 1 3\n");
        foreach (var peer in list)
        {
            text.Append(CultureInfo.InvariantCulture, $" neighbor {peer.Address} remote-as {peer.Asn}\n neighbor {peer.Address} timers connect 1\n");
        }

        foreach (var (family, ipv6) in new[] { ("ipv4", false), ("ipv6", true) })
        {
            text.Append(CultureInfo.InvariantCulture, $" address-family {family} unicast\n");
            foreach (var peer in list.Where(p => p.IsIPv6 == ipv6))
            {
                text.Append(CultureInfo.InvariantCulture, $"  neighbor {peer.Address} activate\n");
            }

            text.Append(" exit-address-family\n");
        }

        return text.Append("exit\n").ToString();
    }
}
