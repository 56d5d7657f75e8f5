using System.Net;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Defence;

public sealed class AddressClaimTests
{
    private static readonly MacAddress Foreign = MacAddress.Parse("02:00:00:00:be:ef");
    private static readonly IPAddress Owned4 = IPAddress.Parse("198.18.0.200");
    private static readonly IPAddress Owned6 = IPAddress.Parse("fd00:beac::200");

    [Fact]
    public void A_gratuitous_arp_claims_its_sender_address_for_its_sender_mac()
    {
        AddressClaim.TryRead(Announcements.GratuitousArp(Owned4, Foreign), out var claim, out _).Should().BeTrue();
        claim.Should().Be(new AddressClaim(Owned4, Foreign));
        claim!.Family.Should().Be("ipv4");
    }

    [Fact]
    public void An_arp_reply_and_an_ordinary_request_claim_their_sender_address_too()
    {
        var reply = new ArpPacket(ArpOperation.Reply, Foreign, Owned4, MacAddress.Parse("02:00:00:00:00:01"), IPAddress.Parse("198.18.0.1"));
        AddressClaim.TryRead(reply.ToFrame(MacAddress.Parse("02:00:00:00:00:01"), Foreign), out var claim, out _).Should().BeTrue();
        claim!.Address.Should().Be(Owned4);
        var request = new ArpPacket(ArpOperation.Request, Foreign, Owned4, MacAddress.Zero, IPAddress.Parse("198.18.0.1"));
        AddressClaim.TryRead(request.ToFrame(MacAddress.Broadcast, Foreign), out claim, out _).Should().BeTrue();
        claim!.Mac.Should().Be(Foreign);
    }

    [Fact]
    public void An_arp_probe_claims_nothing()
    {
        var probe = new ArpPacket(ArpOperation.Request, Foreign, IPAddress.Any, MacAddress.Zero, Owned4);
        AddressClaim.TryRead(probe.ToFrame(MacAddress.Broadcast, Foreign), out var claim, out var rejection).Should().BeFalse();
        claim.Should().BeNull();
        rejection.Should().Be(FrameRejection.None);
    }

    [Fact]
    public void A_neighbor_advertisement_claims_its_target_for_its_target_link_layer_address()
    {
        AddressClaim.TryRead(Announcements.UnsolicitedNeighborAdvertisement(Owned6, Foreign), out var claim, out _).Should().BeTrue();
        claim.Should().Be(new AddressClaim(Owned6, Foreign));
        claim!.Family.Should().Be("ipv6");
    }

    [Fact]
    public void A_solicitation_sent_from_an_address_claims_it_but_a_dad_probe_does_not()
    {
        var from = new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborSolicitation, Owned6, Ipv6Multicast.SolicitedNode(IPAddress.Parse("fd00:beac::1")),
            IPAddress.Parse("fd00:beac::1"), SourceLinkLayerAddress: Foreign);
        AddressClaim.TryRead(from.ToFrame(MacAddress.Broadcast, Foreign), out var claim, out _).Should().BeTrue();
        claim.Should().Be(new AddressClaim(Owned6, Foreign));

        var dad = new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborSolicitation, IPAddress.IPv6Any, Ipv6Multicast.SolicitedNode(Owned6), Owned6);
        AddressClaim.TryRead(dad.ToFrame(MacAddress.Broadcast, Foreign), out claim, out var rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.None);
    }

    [Theory]
    [InlineData(13, FrameRejection.TooShort)]
    [InlineData(30, FrameRejection.TooShort)]
    public void A_truncated_frame_is_rejected_not_thrown_about(int length, FrameRejection expected)
    {
        var frame = Announcements.GratuitousArp(Owned4, Foreign)[..length];
        AddressClaim.TryRead(frame, out var claim, out var rejection).Should().BeFalse();
        claim.Should().BeNull();
        rejection.Should().Be(expected);
    }

    [Fact]
    public void Arp_for_another_hardware_type_is_rejected()
    {
        var frame = Announcements.GratuitousArp(Owned4, Foreign);
        frame[15] = 6; // IEEE 802 instead of Ethernet
        AddressClaim.TryRead(frame, out _, out var rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.UnsupportedArpFormat);
    }

    [Fact]
    public void An_ipv6_payload_length_beyond_the_frame_is_rejected()
    {
        var frame = Announcements.UnsolicitedNeighborAdvertisement(Owned6, Foreign);
        frame[18] = 0x40; // payload length 16,384+
        AddressClaim.TryRead(frame, out _, out var rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.Ipv6PayloadLengthMismatch);
    }

    [Property(MaxTest = 2000)]
    public Property Garbage_never_throws_and_is_never_a_claim_unless_it_decodes()
    {
        var frames = Gen.OneOf(
            Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)),
            // Valid frames with bytes flipped: they get much further into the decoders than noise does.
            from valid in Gen.Elements(Announcements.GratuitousArp(Owned4, Foreign), Announcements.UnsolicitedNeighborAdvertisement(Owned6, Foreign))
            from at in Gen.Choose(0, 85)
            from value in Gen.Choose(0, 255)
            from length in Gen.Choose(14, 86)
            select Flipped(valid, at, (byte)value, length));
        return Prop.ForAll(frames.ToArbitrary(), (byte[] frame) =>
        {
            var read = AddressClaim.TryRead(frame, out var claim, out var rejection);
            return read ? claim is not null && rejection == FrameRejection.None : claim is null;
        });
    }

    private static byte[] Flipped(byte[] valid, int at, byte value, int length)
    {
        var frame = (byte[])valid.Clone();
        frame[at % frame.Length] = value;
        return frame[..Math.Min(length, frame.Length)];
    }
}
