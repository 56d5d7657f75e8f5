using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Beacon.Networking.Packets;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// The kernel (BPF) filter of the conflict watch on one interface: only frames that claim one of the owned addresses
/// reach the process, so ARP and NDP traffic about other addresses costs no wake-up. ARP with one of them as sender
/// address; Neighbor Advertisements with one of them as target; Neighbor Solicitations sent from one of them.
/// </summary>
public static class ConflictFilter
{
    /// <summary>
    /// Above this many addresses on one interface the filter names families instead of addresses (libpcap's compile time
    /// grows faster than linearly and a socket filter holds at most 4,096 instructions); the watch then checks the address
    /// itself, at the price of waking for every ARP/NS/NA on that LAN.
    /// </summary>
    public const int MaxNamedAddresses = 512;

    /// <summary>Every ARP, NS and NA (without IPv6 extension headers, as the responder's filter).</summary>
    public const string AnyClaim = "arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136))";

    public static string For(IReadOnlyCollection<IPAddress> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (owned.Count > MaxNamedAddresses)
        {
            return AnyClaim;
        }

        var terms = new List<string>();
        foreach (var address in owned.Distinct())
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                terms.Add($"arp src host {address}");
            }
            else if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                var bytes = address.GetAddressBytes();
                var target = new StringBuilder();
                for (var word = 0; word < 4; word++)
                {
                    target.Append(CultureInfo.InvariantCulture, $" and ip6[{48 + (4 * word)}:4] == 0x{bytes[4 * word]:x2}{bytes[(4 * word) + 1]:x2}{bytes[(4 * word) + 2]:x2}{bytes[(4 * word) + 3]:x2}");
                }

                terms.Add($"(icmp6 and ip6[40] == 136{target})");
                terms.Add($"(icmp6 and ip6[40] == 135 and ip6 src host {address})");
            }
        }

        // An empty set never opens a capture; should it be asked anyway, the filter matches nothing.
        return terms.Count == 0 ? PcapFrameChannel.NoFrames : string.Join(" or ", terms);
    }
}
