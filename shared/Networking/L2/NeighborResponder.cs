using System.Net;
using Beacon.Networking.Packets;

namespace Beacon.Networking.L2;

/// <summary>
/// The l2 responder's pure decision: given a received frame, the addresses this node owns and the interface's
/// MAC, the ARP reply or Neighbor Advertisement to send, or nothing. Answers ARP requests (RFC 826) and Neighbor
/// Solicitations (RFC 4861) for exactly the owned addresses; DAD probes (NS from ::) are answered to ff02::1 as
/// section 7.2.4 requires. Never throws: garbage is reported as Malformed.
/// </summary>
public static class NeighborResponder
{
    public static ResponderDecision Decide(ReadOnlySpan<byte> frame, IReadOnlySet<IPAddress> owned, MacAddress ourMac)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (!EthernetHeader.TryRead(frame, out var ethernet, out var rejection))
        {
            return ResponderDecision.Malformed(rejection);
        }

        if (ethernet.Source == ourMac || ethernet.Source.IsMulticast)
        {
            return ResponderDecision.Ignored; // our own transmissions, or a forged group source
        }

        var payload = frame[EthernetHeader.Length..];
        return ethernet.EtherType switch
        {
            EtherType.Arp => DecideArp(ethernet, payload, owned, ourMac),
            EtherType.Ipv6 => DecideNeighborSolicitation(ethernet, payload, owned, ourMac),
            _ => ResponderDecision.Ignored,
        };
    }

    private static ResponderDecision DecideArp(EthernetHeader ethernet, ReadOnlySpan<byte> payload, IReadOnlySet<IPAddress> owned, MacAddress ourMac)
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
        EthernetHeader ethernet, ReadOnlySpan<byte> payload, IReadOnlySet<IPAddress> owned, MacAddress ourMac)
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
}
