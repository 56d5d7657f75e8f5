using System.Buffers.Binary;
using System.Net;

namespace Beacon.Networking.Packets;

/// <summary>
/// An IPv6 packet carrying a Neighbor Solicitation or Advertisement (RFC 4861), with the link-layer address
/// options for Ethernet. Decoding validates as section 7.1 requires; encoding computes the checksum.
/// </summary>
public sealed record NeighborDiscoveryMessage(
    NeighborDiscoveryType Type,
    IPAddress Source,
    IPAddress Destination,
    IPAddress Target,
    NeighborAdvertisementFlags Flags = NeighborAdvertisementFlags.None,
    MacAddress? SourceLinkLayerAddress = null,
    MacAddress? TargetLinkLayerAddress = null)
{
    public const int Ipv6HeaderLength = 40;
    public const int MessageLength = 24;
    public const byte NextHeaderIcmpv6 = 58;
    private const byte OptionSourceLinkLayer = 1;
    private const byte OptionTargetLinkLayer = 2;

    /// <summary>Decodes an IPv6 packet (the Ethernet payload); trailing bytes after the IPv6 payload are ignored.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> packet, out NeighborDiscoveryMessage? message, out FrameRejection rejection)
    {
        message = null;
        if (packet.Length < Ipv6HeaderLength)
        {
            rejection = FrameRejection.TooShort;
            return false;
        }

        if (packet[0] >> 4 != 6)
        {
            rejection = FrameRejection.NotIpv6;
            return false;
        }

        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        if (payloadLength > packet.Length - Ipv6HeaderLength)
        {
            rejection = FrameRejection.Ipv6PayloadLengthMismatch;
            return false;
        }

        if (packet[6] != NextHeaderIcmpv6)
        {
            rejection = FrameRejection.NotIcmpv6;
            return false;
        }

        var icmp = packet.Slice(Ipv6HeaderLength, payloadLength);
        if (icmp.Length < 1 || icmp[0] is not ((byte)NeighborDiscoveryType.NeighborSolicitation or (byte)NeighborDiscoveryType.NeighborAdvertisement))
        {
            rejection = FrameRejection.UnsupportedIcmpv6Type;
            return false;
        }

        if (icmp.Length < MessageLength)
        {
            rejection = FrameRejection.TooShort;
            return false;
        }

        if (packet[7] != 255)
        {
            rejection = FrameRejection.HopLimitNot255; // not from the link itself: must be ignored
            return false;
        }

        if (icmp[1] != 0)
        {
            rejection = FrameRejection.NonZeroCode;
            return false;
        }

        var sourceBytes = packet.Slice(8, 16);
        var destinationBytes = packet.Slice(24, 16);
        if (!Icmpv6Checksum.IsValid(sourceBytes, destinationBytes, icmp))
        {
            rejection = FrameRejection.BadChecksum;
            return false;
        }

        var type = (NeighborDiscoveryType)icmp[0];
        var target = icmp.Slice(8, 16);
        if (target[0] == 0xff)
        {
            rejection = FrameRejection.MulticastTarget;
            return false;
        }

        MacAddress? sourceLinkLayer = null, targetLinkLayer = null;
        var options = icmp[MessageLength..];
        while (options.Length > 0)
        {
            if (options.Length < 2 || options[1] == 0 || options[1] * 8 > options.Length)
            {
                rejection = FrameRejection.BadOption;
                return false;
            }

            var option = options[..(options[1] * 8)];
            if (option[0] == OptionSourceLinkLayer)
            {
                sourceLinkLayer = MacAddress.Read(option[2..]);
            }
            else if (option[0] == OptionTargetLinkLayer)
            {
                targetLinkLayer = MacAddress.Read(option[2..]);
            }

            options = options[option.Length..];
        }

        var source = new IPAddress(sourceBytes);
        var destination = new IPAddress(destinationBytes);
        var flags = (NeighborAdvertisementFlags)(icmp[4] & 0xE0);
        if (type == NeighborDiscoveryType.NeighborSolicitation)
        {
            flags = NeighborAdvertisementFlags.None;
            // A DAD probe (from ::) goes to the solicited-node group and carries no source link-layer option.
            if (source.Equals(IPAddress.IPv6Any) &&
                (sourceLinkLayer is not null || !destination.Equals(Ipv6Multicast.SolicitedNode(new IPAddress(target)))))
            {
                rejection = FrameRejection.UnspecifiedSourceRules;
                return false;
            }
        }
        else if (destinationBytes[0] == 0xff && (flags & NeighborAdvertisementFlags.Solicited) != 0)
        {
            rejection = FrameRejection.UnspecifiedSourceRules; // solicited NA to a multicast group is invalid
            return false;
        }

        message = new NeighborDiscoveryMessage(type, source, destination, new IPAddress(target), flags, sourceLinkLayer, targetLinkLayer);
        rejection = FrameRejection.None;
        return true;
    }

    /// <summary>Length of the IPv6 packet <see cref="Encode"/> writes.</summary>
    public int EncodedLength => Ipv6HeaderLength + MessageLength +
        (SourceLinkLayerAddress is null ? 0 : 8) + (TargetLinkLayerAddress is null ? 0 : 8);

    /// <summary>Writes the IPv6 packet (header, message, options, checksum); returns its length.</summary>
    public int Encode(Span<byte> destination)
    {
        var length = EncodedLength;
        var packet = destination[..length];
        packet.Clear();
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], (ushort)(length - Ipv6HeaderLength));
        packet[6] = NextHeaderIcmpv6;
        packet[7] = 255;
        _ = Source.TryWriteBytes(packet.Slice(8, 16), out _);
        _ = Destination.TryWriteBytes(packet.Slice(24, 16), out _);
        var icmp = packet[Ipv6HeaderLength..];
        icmp[0] = (byte)Type;
        icmp[4] = (byte)Flags;
        _ = Target.TryWriteBytes(icmp.Slice(8, 16), out _);
        var offset = MessageLength;
        if (SourceLinkLayerAddress is { } s)
        {
            icmp[offset] = OptionSourceLinkLayer;
            icmp[offset + 1] = 1;
            s.Write(icmp[(offset + 2)..]);
            offset += 8;
        }

        if (TargetLinkLayerAddress is { } t)
        {
            icmp[offset] = OptionTargetLinkLayer;
            icmp[offset + 1] = 1;
            t.Write(icmp[(offset + 2)..]);
        }

        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Icmpv6Checksum.Compute(packet.Slice(8, 16), packet.Slice(24, 16), icmp));
        return length;
    }

    /// <summary>A complete Ethernet frame carrying this message.</summary>
    public byte[] ToFrame(MacAddress destination, MacAddress source)
    {
        var frame = new byte[EthernetHeader.Length + EncodedLength];
        new EthernetHeader(destination, source, EtherType.Ipv6).Write(frame);
        _ = Encode(frame.AsSpan(EthernetHeader.Length));
        return frame;
    }
}
