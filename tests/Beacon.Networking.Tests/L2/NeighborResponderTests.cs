using System.Net;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;

namespace Beacon.Networking.Tests.L2;

/// <summary>The responder's decision, frame by frame: it answers for exactly the owned addresses.</summary>
public sealed class NeighborResponderTests
{
    internal static readonly MacAddress Ours = MacAddress.Parse("02:00:00:00:00:01");
    internal static readonly MacAddress Client = MacAddress.Parse("02:00:00:00:00:02");
    internal static readonly IPAddress Owned4 = IPAddress.Parse("198.18.0.100");
    internal static readonly IPAddress Owned6 = IPAddress.Parse("fd00:beac::100");
    internal static readonly HashSet<IPAddress> Owned = [Owned4, Owned6];

    [Fact]
    public void An_arp_request_for_an_owned_address_gets_a_unicast_reply_with_our_mac()
    {
        var decision = Decide(ArpRequest(Owned4));

        decision.Verdict.Should().Be(ResponderVerdict.Answer);
        Convert.ToHexString(decision.Reply!).Should().Be(
            "020000000002" + "020000000001" + "0806" +
            "0001080006040002" +
            "020000000001" + "C6120064" +   // we are 198.18.0.100
            "020000000002" + "C6120002");   // to the asker
    }

    [Theory]
    [InlineData("198.18.0.101")]
    [InlineData("198.18.0.1")]
    [InlineData("0.0.0.0")]
    public void Arp_requests_for_anything_else_are_ignored(string target) =>
        Decide(ArpRequest(IPAddress.Parse(target))).Should().Be(ResponderDecision.Ignored);

    [Fact]
    public void Replies_gratuitous_announcements_our_own_frames_and_frames_for_other_macs_are_ignored()
    {
        Decide(new ArpPacket(ArpOperation.Reply, Client, IPAddress.Parse("198.18.0.2"), Ours, Owned4).ToFrame(Ours, Client)).Verdict.Should().Be(ResponderVerdict.Ignore);
        Decide(Announcements.GratuitousArp(Owned4, Client)).Verdict.Should().Be(ResponderVerdict.Ignore);
        Decide(new ArpPacket(ArpOperation.Request, Ours, IPAddress.Parse("198.18.0.2"), MacAddress.Zero, Owned4).ToFrame(MacAddress.Broadcast, Ours)).Verdict.Should().Be(ResponderVerdict.Ignore);
        Decide(new ArpPacket(ArpOperation.Request, Client, IPAddress.Parse("198.18.0.2"), MacAddress.Zero, Owned4).ToFrame(MacAddress.Parse("02:00:00:00:00:09"), Client)).Verdict.Should().Be(ResponderVerdict.Ignore);
    }

    [Fact]
    public void An_arp_probe_for_an_owned_address_is_answered_to_defend_it()
    {
        var probe = new ArpPacket(ArpOperation.Request, Client, IPAddress.Any, MacAddress.Zero, Owned4).ToFrame(MacAddress.Broadcast, Client);
        var decision = Decide(probe);
        decision.Verdict.Should().Be(ResponderVerdict.Answer);
        ArpPacket.TryDecode(decision.Reply.AsSpan(14), out var reply, out _).Should().BeTrue();
        reply!.TargetIp.Should().Be(IPAddress.Any);
        reply.TargetMac.Should().Be(Client);
    }

    [Fact]
    public void A_solicitation_for_an_owned_address_gets_a_solicited_override_advertisement()
    {
        var decision = Decide(Solicitation(Owned6, IPAddress.Parse("fd00:beac::2")));

        decision.Verdict.Should().Be(ResponderVerdict.Answer);
        MacAddress.Read(decision.Reply).Should().Be(Client);
        MacAddress.Read(decision.Reply.AsSpan(6)).Should().Be(Ours);
        NeighborDiscoveryMessage.TryDecode(decision.Reply.AsSpan(14), out var na, out _).Should().BeTrue();
        na!.Should().Be(new NeighborDiscoveryMessage(
            NeighborDiscoveryType.NeighborAdvertisement, Owned6, IPAddress.Parse("fd00:beac::2"), Owned6,
            NeighborAdvertisementFlags.Solicited | NeighborAdvertisementFlags.Override, TargetLinkLayerAddress: Ours));
    }

    [Fact]
    public void A_unicast_reachability_probe_is_answered_too()
    {
        var ns = new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborSolicitation, IPAddress.Parse("fd00:beac::2"), Owned6, Owned6, SourceLinkLayerAddress: Client);
        Decide(ns.ToFrame(Ours, Client)).Verdict.Should().Be(ResponderVerdict.Answer);
    }

    [Fact]
    public void A_dad_probe_is_answered_to_all_nodes_without_the_solicited_flag()
    {
        var decision = Decide(Solicitation(Owned6, IPAddress.IPv6Any, withSourceOption: false));

        decision.Verdict.Should().Be(ResponderVerdict.Answer);
        MacAddress.Read(decision.Reply).Should().Be(MacAddress.Parse("33:33:00:00:00:01"));
        NeighborDiscoveryMessage.TryDecode(decision.Reply.AsSpan(14), out var na, out _).Should().BeTrue();
        na!.Destination.Should().Be(Ipv6Multicast.AllNodes);
        na.Flags.Should().Be(NeighborAdvertisementFlags.Override);
    }

    [Fact]
    public void Solicitations_for_other_targets_advertisements_and_other_traffic_are_ignored()
    {
        Decide(Solicitation(IPAddress.Parse("fd00:beac::101"), IPAddress.Parse("fd00:beac::2"))).Should().Be(ResponderDecision.Ignored);
        Decide(Announcements.UnsolicitedNeighborAdvertisement(Owned6, Client)).Should().Be(ResponderDecision.Ignored);
        var ipv4 = new byte[60];
        new PacketDotNet.EthernetPacket(Client.ToPhysicalAddress(), Ours.ToPhysicalAddress(), PacketDotNet.EthernetType.IPv4).Bytes.CopyTo(ipv4, 0);
        Decide(ipv4).Should().Be(ResponderDecision.Ignored);
        var echo = new byte[14 + 40 + 16];
        new PacketDotNet.EthernetPacket(Client.ToPhysicalAddress(), Ours.ToPhysicalAddress(), PacketDotNet.EthernetType.IPv6).Bytes.CopyTo(echo, 0);
        echo[14] = 0x60;
        echo[14 + 5] = 16;
        echo[14 + 6] = 58;
        echo[14 + 40] = 128; // echo request
        Decide(echo).Should().Be(ResponderDecision.Ignored);
    }

    [Fact]
    public void Truncated_and_oversized_frames_are_malformed()
    {
        Decide(new byte[13]).Should().Be(ResponderDecision.Malformed(FrameRejection.TooShort));
        Decide(ArpRequest(Owned4)[..40]).Should().Be(ResponderDecision.Malformed(FrameRejection.TooShort));
        var jumbo = new byte[1515];
        ArpRequest(Owned4).CopyTo(jumbo, 0);
        Decide(jumbo).Should().Be(ResponderDecision.Malformed(FrameRejection.TooLong));
    }

    internal static byte[] ArpRequest(IPAddress target) =>
        new ArpPacket(ArpOperation.Request, Client, IPAddress.Parse("198.18.0.2"), MacAddress.Zero, target).ToFrame(MacAddress.Broadcast, Client);

    internal static byte[] Solicitation(IPAddress target, IPAddress source, bool withSourceOption = true)
    {
        var group = Ipv6Multicast.SolicitedNode(target);
        return new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborSolicitation, source, group, target,
                SourceLinkLayerAddress: withSourceOption ? Client : null)
            .ToFrame(Ipv6Multicast.EthernetAddress(group), Client);
    }

    private static ResponderDecision Decide(byte[] frame) => NeighborResponder.Decide(frame, Owned, Ours);
}
