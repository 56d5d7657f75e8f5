using System.Net;
using System.Net.Sockets;
using Beacon.Networking.Packets;

namespace Beacon.Networking.L2;

/// <summary>Frames that tell a segment "this address is now at this MAC": gratuitous ARP and unsolicited NA.</summary>
public static class Announcements
{
    /// <summary>
    /// Gratuitous ARP (RFC 5227 section 3, request form): broadcast, sender = target = the address. Neighbours
    /// update an existing entry even within their lock time.
    /// </summary>
    public static byte[] GratuitousArp(IPAddress address, MacAddress mac) =>
        new ArpPacket(ArpOperation.Request, mac, address, MacAddress.Zero, address).ToFrame(MacAddress.Broadcast, mac);

    /// <summary>Unsolicited Neighbor Advertisement (RFC 4861 section 7.2.6): to ff02::1, Override set, target link-layer option.</summary>
    public static byte[] UnsolicitedNeighborAdvertisement(IPAddress address, MacAddress mac) =>
        new NeighborDiscoveryMessage(
                NeighborDiscoveryType.NeighborAdvertisement, address, Ipv6Multicast.AllNodes, address,
                NeighborAdvertisementFlags.Override, TargetLinkLayerAddress: mac)
            .ToFrame(Ipv6Multicast.EthernetAddress(Ipv6Multicast.AllNodes), mac);

    /// <summary>The right announcement for the address family.</summary>
    public static byte[] For(IPAddress address, MacAddress mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? UnsolicitedNeighborAdvertisement(address, mac)
            : GratuitousArp(address, mac);
    }
}
