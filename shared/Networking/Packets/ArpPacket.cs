using System.Buffers.Binary;
using System.Net;

namespace Beacon.Networking.Packets;

/// <summary>An ARP packet for Ethernet and IPv4 (RFC 826): hardware type 1, protocol 0x0800, lengths 6 and 4.</summary>
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
            rejection = FrameRejection.TooShort;
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(payload) != 1 || BinaryPrimitives.ReadUInt16BigEndian(payload[2..]) != EtherType.Ipv4 ||
            payload[4] != MacAddress.Length || payload[5] != 4)
        {
            rejection = FrameRejection.UnsupportedArpFormat;
            return false;
        }

        var operation = BinaryPrimitives.ReadUInt16BigEndian(payload[6..]);
        if (operation is not ((ushort)ArpOperation.Request or (ushort)ArpOperation.Reply))
        {
            rejection = FrameRejection.UnsupportedArpOperation;
            return false;
        }

        packet = new ArpPacket(
            (ArpOperation)operation,
            MacAddress.Read(payload[8..]),
            new IPAddress(payload.Slice(14, 4)),
            MacAddress.Read(payload[18..]),
            new IPAddress(payload.Slice(24, 4)));
        rejection = FrameRejection.None;
        return true;
    }

    /// <summary>Writes the 28-byte ARP payload.</summary>
    public void Encode(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], EtherType.Ipv4);
        destination[4] = MacAddress.Length;
        destination[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Operation);
        SenderMac.Write(destination[8..]);
        _ = SenderIp.TryWriteBytes(destination.Slice(14, 4), out _);
        TargetMac.Write(destination[18..]);
        _ = TargetIp.TryWriteBytes(destination.Slice(24, 4), out _);
    }

    /// <summary>A complete Ethernet frame carrying this packet (42 bytes; the NIC pads to 60).</summary>
    public byte[] ToFrame(MacAddress destination, MacAddress source)
    {
        var frame = new byte[EthernetHeader.Length + Length];
        new EthernetHeader(destination, source, EtherType.Arp).Write(frame);
        Encode(frame.AsSpan(EthernetHeader.Length));
        return frame;
    }
}
