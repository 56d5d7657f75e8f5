using System.Net;
using System.Net.Sockets;
using Beacon.Networking;
using Beacon.Networking.Packets;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// A frame on the LAN saying "<see cref="Address"/> is at <see cref="Mac"/>": an ARP request or reply (gratuitous or not)
/// with that sender address, an IPv6 Neighbor Advertisement for that target, or a Neighbor Solicitation sent from that
/// address. A DAD probe (NS from ::) or an ARP probe (sender 0.0.0.0) claims nothing: the host only asks.
/// </summary>
public sealed record AddressClaim(IPAddress Address, MacAddress Mac)
{
    private const int EthernetHeader = 14;
    private const ushort EtherTypeArp = 0x0806;
    private const ushort EtherTypeIpv6 = 0x86DD;

    public string Family => FamilyOf(Address);

    /// <summary>The metrics' address_family label of <paramref name="address"/>.</summary>
    public static string FamilyOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";

    /// <summary>
    /// Reads a whole Ethernet frame. False with <see cref="FrameRejection.None"/>: a valid frame that claims nothing;
    /// false with another rejection: garbage, to be counted and dropped. Never throws on any input.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out AddressClaim? claim, out FrameRejection rejection)
    {
        try
        {
            return TryReadChecked(frame, out claim, out rejection);
        }
#pragma warning disable CA1031 // PacketDotNet parses what our checks let through; whatever it still trips over is garbage, not a crash.
        catch (Exception)
#pragma warning restore CA1031
        {
            claim = null;
            rejection = FrameRejection.Unreadable;
            return false;
        }
    }

    private static bool TryReadChecked(ReadOnlySpan<byte> frame, out AddressClaim? claim, out FrameRejection rejection)
    {
        claim = null;
        if (frame.Length < EthernetHeader)
        {
            rejection = FrameRejection.TooShort;
            return false;
        }

        var etherType = (ushort)((frame[12] << 8) | frame[13]);
        var payload = frame[EthernetHeader..];
        var etherSource = MacAddress.Read(frame.Slice(6, MacAddress.Length));
        switch (etherType)
        {
            case EtherTypeArp:
                if (!ArpPacket.TryDecode(payload, out var arp, out rejection))
                {
                    return false;
                }

                if (!arp!.IsProbe)
                {
                    claim = new AddressClaim(arp.SenderIp, arp.SenderMac);
                }

                return claim is not null;
            case EtherTypeIpv6:
                if (!NeighborDiscoveryMessage.TryDecode(payload, out var nd, out rejection))
                {
                    return false;
                }

                claim = nd!.Type switch
                {
                    NeighborDiscoveryType.NeighborAdvertisement => new AddressClaim(nd.Target, nd.TargetLinkLayerAddress ?? etherSource),
                    _ when !nd.Source.Equals(IPAddress.IPv6Any) => new AddressClaim(nd.Source, nd.SourceLinkLayerAddress ?? etherSource),
                    _ => null,
                };
                return claim is not null;
            default:
                rejection = FrameRejection.UnsupportedEtherType;
                return false;
        }
    }
}
