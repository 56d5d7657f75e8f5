using System.Net;
using System.Net.Sockets;
using PacketDotNet;
using PacketDotNet.Ndp;
using PacketDotNet.Utils;

namespace Beacon.Networking.Packets;

/// <summary>
/// An IPv6 packet carrying a Neighbor Solicitation or Advertisement (RFC 4861), with the link-layer address
/// options for Ethernet. PacketDotNet reads and writes the fields and the ICMPv6 checksum; decoding adds the
/// validity checks of section 7.1, which PacketDotNet does not make (it would loop forever on a zero-length option).
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
    private const int OptionLength = 8;

    /// <summary>Decodes an IPv6 packet (the Ethernet payload); trailing bytes after the IPv6 payload are ignored.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> packet, out NeighborDiscoveryMessage? message, out FrameRejection rejection)
    {
        message = null;
        if (packet.Length < Ipv6HeaderLength)
        {
            rejection = FrameRejection.TooShort;
            return false;
        }

        // Version and next header are looked at before PacketDotNet parses: it walks extension headers eagerly and
        // trusts their lengths, and an NS/NA never has any.
        if (packet[0] >> 4 != 6)
        {
            rejection = FrameRejection.NotIpv6;
            return false;
        }

        if (packet[6] != NextHeaderIcmpv6)
        {
            rejection = FrameRejection.NotIcmpv6;
            return false;
        }

        var ipv6 = new IPv6Packet(new ByteArraySegment(packet.ToArray()));
        if (ipv6.PayloadLength > packet.Length - Ipv6HeaderLength)
        {
            rejection = FrameRejection.Ipv6PayloadLengthMismatch;
            return false;
        }

        if (ipv6.PayloadLength < 1 || ipv6.PayloadPacket is not IcmpV6Packet icmp ||
            icmp.Type is not (IcmpV6Type.NeighborSolicitation or IcmpV6Type.NeighborAdvertisement))
        {
            rejection = FrameRejection.UnsupportedIcmpv6Type;
            return false;
        }

        if (ipv6.PayloadLength < MessageLength)
        {
            rejection = FrameRejection.TooShort;
            return false;
        }

        if (ipv6.HopLimit != 255)
        {
            rejection = FrameRejection.HopLimitNot255; // not from the link itself: must be ignored
            return false;
        }

        if (icmp.Code != 0)
        {
            rejection = FrameRejection.NonZeroCode;
            return false;
        }

        if (!icmp.ValidIcmpChecksum)
        {
            rejection = FrameRejection.BadChecksum;
            return false;
        }

        var type = (NeighborDiscoveryType)icmp.Type;
        var (target, flags, optionsSegment) = icmp.PayloadPacket switch
        {
            NdpNeighborAdvertisementPacket na => (na.TargetAddress, FlagsOf(na), na.OptionsSegment),
            NdpNeighborSolicitationPacket ns => (ns.TargetAddress, NeighborAdvertisementFlags.None, ns.OptionsSegment),
            _ => throw new InvalidOperationException("PacketDotNet parsed an NS/NA type into another packet"),
        };
        if (target.IsIPv6Multicast)
        {
            rejection = FrameRejection.MulticastTarget;
            return false;
        }

        if (!OptionsAreWellFormed(optionsSegment))
        {
            rejection = FrameRejection.BadOption;
            return false;
        }

        MacAddress? sourceLinkLayer = null, targetLinkLayer = null;
        foreach (var option in ((NdpPacket)icmp.PayloadPacket).OptionsCollection.OfType<NdpLinkLayerAddressOption>())
        {
            if (option.Type == OptionTypes.SourceLinkLayerAddress)
            {
                sourceLinkLayer = MacAddress.From(option.LinkLayerAddress);
            }
            else
            {
                targetLinkLayer = MacAddress.From(option.LinkLayerAddress);
            }
        }

        var source = ipv6.SourceAddress;
        var destination = ipv6.DestinationAddress;
        if (type == NeighborDiscoveryType.NeighborSolicitation)
        {
            // A DAD probe (from ::) goes to the solicited-node group and carries no source link-layer option.
            if (source.Equals(IPAddress.IPv6Any) &&
                (sourceLinkLayer is not null || !destination.Equals(Ipv6Multicast.SolicitedNode(target))))
            {
                rejection = FrameRejection.UnspecifiedSourceRules;
                return false;
            }
        }
        else if (destination.IsIPv6Multicast && (flags & NeighborAdvertisementFlags.Solicited) != 0)
        {
            rejection = FrameRejection.UnspecifiedSourceRules; // solicited NA to a multicast group is invalid
            return false;
        }

        message = new NeighborDiscoveryMessage(type, source, destination, target, flags, sourceLinkLayer, targetLinkLayer);
        rejection = FrameRejection.None;
        return true;
    }

    /// <summary>Length of the IPv6 packet <see cref="Encode"/> writes.</summary>
    public int EncodedLength => Ipv6HeaderLength + MessageLength +
        (SourceLinkLayerAddress is null ? 0 : OptionLength) + (TargetLinkLayerAddress is null ? 0 : OptionLength);

    /// <summary>Writes the IPv6 packet (header, message, options, checksum); returns its length.</summary>
    public int Encode(Span<byte> destination)
    {
        var frame = ToFrame(MacAddress.Zero, MacAddress.Zero);
        frame.AsSpan(EthernetFields.HeaderLength).CopyTo(destination);
        return EncodedLength;
    }

    /// <summary>A complete Ethernet frame carrying this message.</summary>
    public byte[] ToFrame(MacAddress destination, MacAddress source)
    {
        if (Source.AddressFamily != AddressFamily.InterNetworkV6 || Destination.AddressFamily != AddressFamily.InterNetworkV6 ||
            Target.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("Neighbor Discovery carries IPv6 addresses only");
        }

        var icmpLength = EncodedLength - Ipv6HeaderLength;
        var frame = new byte[EthernetFields.HeaderLength + EncodedLength];
        // Every layer is written in place over one array: PacketDotNet's Bytes would copy through a MemoryStream.
        _ = new EthernetPacket(new ByteArraySegment(frame))
        {
            DestinationHardwareAddress = destination.ToPhysicalAddress(),
            SourceHardwareAddress = source.ToPhysicalAddress(),
            Type = EthernetType.IPv6,
        };
        var header = new IPv6Packet(Source, Destination) { HopLimit = 255, NextHeader = PacketDotNet.ProtocolType.IcmpV6, PayloadLength = (ushort)icmpLength };
        header.HeaderData.CopyTo(frame, EthernetFields.HeaderLength);

        // The message is written in place over the frame, so the checksum is computed over what is sent.
        var icmpBytes = new ByteArraySegment(frame, EthernetFields.HeaderLength + Ipv6HeaderLength, icmpLength);
        var parsed = new IPv6Packet(new ByteArraySegment(frame, EthernetFields.HeaderLength, EncodedLength));
        var icmp = new IcmpV6Packet(icmpBytes, parsed) { Type = (IcmpV6Type)Type, Code = 0 };
        if (Type == NeighborDiscoveryType.NeighborAdvertisement)
        {
            _ = new NdpNeighborAdvertisementPacket(icmpBytes)
            {
                TargetAddress = Target,
                Override = (Flags & NeighborAdvertisementFlags.Override) != 0,
                Solicited = (Flags & NeighborAdvertisementFlags.Solicited) != 0,
                Router = (Flags & NeighborAdvertisementFlags.Router) != 0,
            };
        }
        else
        {
            _ = new NdpNeighborSolicitationPacket(icmpBytes) { TargetAddress = Target };
        }

        var optionOffset = icmpBytes.Offset + MessageLength;
        foreach (var (kind, mac) in new[] { (OptionTypes.SourceLinkLayerAddress, SourceLinkLayerAddress), (OptionTypes.TargetLinkLayerAddress, TargetLinkLayerAddress) })
        {
            if (mac is { } address)
            {
                _ = new NdpLinkLayerAddressOption(frame, optionOffset, OptionLength) { Type = kind, Length = 1, LinkLayerAddress = address.ToPhysicalAddress() };
                optionOffset += OptionLength;
            }
        }

        icmp.UpdateIcmpChecksum();
        return frame;
    }

    private static NeighborAdvertisementFlags FlagsOf(NdpNeighborAdvertisementPacket na) =>
        (na.Router ? NeighborAdvertisementFlags.Router : 0) |
        (na.Solicited ? NeighborAdvertisementFlags.Solicited : 0) |
        (na.Override ? NeighborAdvertisementFlags.Override : 0);

    /// <summary>RFC 4861 section 7.1: every option has a length greater than zero and lies within the message.</summary>
    private static bool OptionsAreWellFormed(ByteArraySegment options)
    {
        var offset = 0;
        while (offset < options.Length)
        {
            var length = options.Length - offset >= 2 ? options.Bytes[options.Offset + offset + 1] * OptionLength : 0;
            if (length == 0 || length > options.Length - offset)
            {
                return false;
            }

            offset += length;
        }

        return true;
    }
}
