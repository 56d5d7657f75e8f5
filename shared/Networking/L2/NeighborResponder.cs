using System.Net;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;
using EthernetPacket = PacketDotNet.EthernetPacket;
using EthernetType = PacketDotNet.EthernetType;
using PacketDotNet.Utils;

namespace Beacon.Networking.L2;

/// <summary>
/// The l2 responder's pure decision: given a received frame, the addresses this node owns and the interface's
/// MAC, the ARP reply or Neighbor Advertisement to send, or nothing. Answers ARP requests (RFC 826) and Neighbor
/// Solicitations (RFC 4861) for exactly the owned addresses; DAD probes (NS from ::) are answered to ff02::1 as
/// section 7.2.4 requires. Never throws: garbage is reported as Malformed.
/// </summary>
public static class NeighborResponder
{
    /// <summary>Largest untagged frame without FCS (1500-byte MTU).</summary>
    public const int MaxFrameLength = 1514;

    public static ResponderDecision Decide(ReadOnlySpan<byte> frame, IReadOnlySet<IPAddress> owned, MacAddress ourMac)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (frame.Length < EthernetFields.HeaderLength)
        {
            return ResponderDecision.Malformed(FrameRejection.TooShort);
        }

        if (frame.Length > MaxFrameLength)
        {
            return ResponderDecision.Malformed(FrameRejection.TooLong);
        }

        var header = new EthernetPacket(new ByteArraySegment(frame[..EthernetFields.HeaderLength].ToArray()));
        var ethernet = new Addressing(MacAddress.From(header.DestinationHardwareAddress), MacAddress.From(header.SourceHardwareAddress));
        if (ethernet.Source == ourMac || ethernet.Source.IsMulticast)
        {
            return ResponderDecision.Ignored; // our own transmissions, or a forged group source
        }

        var payload = frame[EthernetFields.HeaderLength..];
        return header.Type switch
        {
            EthernetType.Arp => DecideArp(ethernet, payload, owned, ourMac),
            EthernetType.IPv6 => DecideNeighborSolicitation(ethernet, payload, owned, ourMac),
            _ => ResponderDecision.Ignored,
        };
    }

    private static ResponderDecision DecideArp(Addressing ethernet, ReadOnlySpan<byte> payload, IReadOnlySet<IPAddress> owned, MacAddress ourMac)
    {
        if (!ArpPacket.TryDecode(payload, out var arp, out var rejection))
        {
            return ResponderDecision.Malformed(rejection);
        }

        if (arp!.Operation != ArpOperation.Request || arp.IsGratuitous || !owned.Contains(arp.TargetIp) ||
            (!ethernet.Destination.IsBroadcast && ethernet.Destination != ourMac) ||
            arp.SenderMac.IsMulticast || arp.SenderMac == MacAddress.Zero)
        {
            return ResponderDecision.Ignored;
        }

        // A probe (sender 0.0.0.0) is answered like the kernel does, defending the address (RFC 5227 section 2.4).
        var reply = new ArpPacket(ArpOperation.Reply, ourMac, arp.TargetIp, arp.SenderMac, arp.SenderIp);
        return ResponderDecision.Answer(reply.ToFrame(arp.SenderMac, ourMac));
    }

    private static ResponderDecision DecideNeighborSolicitation(
        Addressing ethernet, ReadOnlySpan<byte> payload, IReadOnlySet<IPAddress> owned, MacAddress ourMac)
    {
        if (!NeighborDiscoveryMessage.TryDecode(payload, out var message, out var rejection))
        {
            // Other IPv6 traffic is not malformed, just not ours to handle.
            return rejection is FrameRejection.NotIcmpv6 or FrameRejection.UnsupportedIcmpv6Type
                ? ResponderDecision.Ignored
                : ResponderDecision.Malformed(rejection);
        }

        if (message!.Type != NeighborDiscoveryType.NeighborSolicitation || !owned.Contains(message.Target))
        {
            return ResponderDecision.Ignored;
        }

        var toGroup = message.Destination.Equals(Ipv6Multicast.SolicitedNode(message.Target));
        if (!toGroup && !message.Destination.Equals(message.Target))
        {
            return ResponderDecision.Ignored;
        }

        var expectedMac = toGroup ? Ipv6Multicast.EthernetAddress(message.Destination) : ourMac;
        if (ethernet.Destination != expectedMac && ethernet.Destination != ourMac)
        {
            return ResponderDecision.Ignored;
        }

        NeighborDiscoveryMessage advertisement;
        MacAddress destinationMac;
        if (message.Source.Equals(IPAddress.IPv6Any))
        {
            advertisement = new NeighborDiscoveryMessage(
                NeighborDiscoveryType.NeighborAdvertisement, message.Target, Ipv6Multicast.AllNodes, message.Target,
                NeighborAdvertisementFlags.Override, TargetLinkLayerAddress: ourMac);
            destinationMac = Ipv6Multicast.EthernetAddress(Ipv6Multicast.AllNodes);
        }
        else
        {
            advertisement = new NeighborDiscoveryMessage(
                NeighborDiscoveryType.NeighborAdvertisement, message.Target, message.Source, message.Target,
                NeighborAdvertisementFlags.Solicited | NeighborAdvertisementFlags.Override, TargetLinkLayerAddress: ourMac);
            destinationMac = message.SourceLinkLayerAddress ?? ethernet.Source;
        }

        return ResponderDecision.Answer(advertisement.ToFrame(destinationMac, ourMac));
    }

    /// <summary>The two Ethernet addresses of a received frame.</summary>
    private readonly record struct Addressing(MacAddress Destination, MacAddress Source);
}
