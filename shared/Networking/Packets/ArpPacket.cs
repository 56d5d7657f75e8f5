using System.Net;
using System.Net.Sockets;
using PacketDotNet;
using PacketDotNet.Utils;

namespace Beacon.Networking.Packets;

/// <summary>
/// An ARP packet for Ethernet and IPv4 (RFC 826): hardware type 1, protocol 0x0800, lengths 6 and 4. Bytes are
/// read and written by PacketDotNet; this record is the value the responder decides on.
/// </summary>
public sealed record ArpPacket(ArpOperation Operation, MacAddress SenderMac, IPAddress SenderIp, MacAddress TargetMac, IPAddress TargetIp)
{
    public const int Length = 28;

    /// <summary>Gratuitous: sender and target protocol addresses are equal (an announcement, not a question).</summary>
    public bool IsGratuitous => SenderIp.Equals(TargetIp);

    /// <summary>RFC 5227 probe: a host checking an address before using it (sender IP 0.0.0.0).</summary>
    public bool IsProbe => SenderIp.Equals(IPAddress.Any);

    /// <summary>Decodes the ARP payload (after the Ethernet header); trailing padding is allowed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out ArpPacket? packet, out FrameRejection rejection)
    {
        packet = null;
        if (payload.Length < Length)
        {
            rejection = FrameRejection.TooShort; // PacketDotNet reads fixed offsets: it must not see a short packet
            return false;
        }

        var arp = new PacketDotNet.ArpPacket(new ByteArraySegment(payload[..Length].ToArray()));
        if (arp.HardwareAddressType != LinkLayers.Ethernet || arp.ProtocolAddressType != EthernetType.IPv4 ||
            arp.HardwareAddressLength != MacAddress.Length || arp.ProtocolAddressLength != 4)
        {
            rejection = FrameRejection.UnsupportedArpFormat;
            return false;
        }

        if (arp.Operation is not (PacketDotNet.ArpOperation.Request or PacketDotNet.ArpOperation.Response))
        {
            rejection = FrameRejection.UnsupportedArpOperation;
            return false;
        }

        packet = new ArpPacket(
            arp.Operation == PacketDotNet.ArpOperation.Request ? ArpOperation.Request : ArpOperation.Reply,
            MacAddress.From(arp.SenderHardwareAddress),
            arp.SenderProtocolAddress,
            MacAddress.From(arp.TargetHardwareAddress),
            arp.TargetProtocolAddress);
        rejection = FrameRejection.None;
        return true;
    }

    /// <summary>A complete Ethernet frame carrying this packet (42 bytes; the NIC pads to 60).</summary>
    public byte[] ToFrame(MacAddress destination, MacAddress source)
    {
        if (SenderIp.AddressFamily != AddressFamily.InterNetwork || TargetIp.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("ARP carries IPv4 addresses only");
        }

        // Both layers are written in place over one array: PacketDotNet's Bytes would copy through a MemoryStream.
        var frame = new byte[EthernetFields.HeaderLength + Length];
        _ = new EthernetPacket(new ByteArraySegment(frame))
        {
            DestinationHardwareAddress = destination.ToPhysicalAddress(),
            SourceHardwareAddress = source.ToPhysicalAddress(),
            Type = EthernetType.Arp,
        };
        _ = new PacketDotNet.ArpPacket(new ByteArraySegment(frame, EthernetFields.HeaderLength, Length))
        {
            HardwareAddressType = LinkLayers.Ethernet,
            ProtocolAddressType = EthernetType.IPv4,
            HardwareAddressLength = MacAddress.Length,
            ProtocolAddressLength = 4,
            Operation = Operation == ArpOperation.Request ? PacketDotNet.ArpOperation.Request : PacketDotNet.ArpOperation.Response,
            SenderHardwareAddress = SenderMac.ToPhysicalAddress(),
            SenderProtocolAddress = SenderIp,
            TargetHardwareAddress = TargetMac.ToPhysicalAddress(),
            TargetProtocolAddress = TargetIp,
        };
        return frame;
    }
}
