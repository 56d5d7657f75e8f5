using System.Net;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;

namespace Beacon.Networking.Tests.Codecs;

/// <summary>Ethernet, ARP and NDP codecs against hand-checked bytes.</summary>
public sealed class PacketCodecTests
{
    private static readonly MacAddress Ours = MacAddress.Parse("02:00:00:00:00:01");

    [Fact]
    public void Gratuitous_arp_is_a_broadcast_request_with_sender_equal_to_target()
    {
        var frame = Announcements.GratuitousArp(IPAddress.Parse("198.18.0.100"), Ours);

        Convert.ToHexString(frame).Should().Be(
            "FFFFFFFFFFFF" + "020000000001" + "0806" +       // Ethernet: broadcast, from us, ARP
            "0001" + "0800" + "06" + "04" + "0001" +         // Ethernet/IPv4, request
            "020000000001" + "C6120064" +                    // sender: our MAC, 198.18.0.100
            "000000000000" + "C6120064");                    // target: unknown MAC, 198.18.0.100
    }

    [Fact]
    public void Arp_decodes_with_ethernet_padding_and_rejects_other_hardware()
    {
        var frame = Announcements.GratuitousArp(IPAddress.Parse("10.1.2.3"), Ours);
        var padded = new byte[60];
        frame.CopyTo(padded, 0);

        ArpPacket.TryDecode(padded.AsSpan(EthernetFields.HeaderLength), out var arp, out _).Should().BeTrue();
        arp!.Should().Be(new ArpPacket(ArpOperation.Request, Ours, IPAddress.Parse("10.1.2.3"), MacAddress.Zero, IPAddress.Parse("10.1.2.3")));
        arp!.IsGratuitous.Should().BeTrue();

        padded[EthernetFields.HeaderLength + 1] = 6; // IEEE 802 hardware type
        ArpPacket.TryDecode(padded.AsSpan(EthernetFields.HeaderLength), out _, out var rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.UnsupportedArpFormat);
        ArpPacket.TryDecode(padded.AsSpan(EthernetFields.HeaderLength, 27), out _, out rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.TooShort);
    }

    [Fact]
    public void Solicited_node_group_and_its_mac_follow_rfc_4291_and_2464()
    {
        var group = Ipv6Multicast.SolicitedNode(IPAddress.Parse("fd00:beac::12:3456"));
        group.Should().Be(IPAddress.Parse("ff02::1:ff12:3456"));
        Ipv6Multicast.EthernetAddress(group).Should().Be(MacAddress.Parse("33:33:ff:12:34:56"));
        Ipv6Multicast.EthernetAddress(Ipv6Multicast.AllNodes).Should().Be(MacAddress.Parse("33:33:00:00:00:01"));
    }

    [Fact]
    public void Unsolicited_advertisement_has_override_set_hop_limit_255_and_a_valid_checksum()
    {
        var frame = Announcements.UnsolicitedNeighborAdvertisement(IPAddress.Parse("fd00::5"), Ours);

        Convert.ToHexString(frame.AsSpan(0, 14)).Should().Be("333300000001" + "020000000001" + "86DD");
        var ipv6 = frame.AsSpan(EthernetFields.HeaderLength);
        ipv6[7].Should().Be(255);
        NeighborDiscoveryMessage.TryDecode(ipv6, out var na, out var rejection).Should().BeTrue(rejection.ToString());
        na!.Should().Be(new NeighborDiscoveryMessage(
            NeighborDiscoveryType.NeighborAdvertisement, IPAddress.Parse("fd00::5"), IPAddress.Parse("ff02::1"), IPAddress.Parse("fd00::5"),
            NeighborAdvertisementFlags.Override, TargetLinkLayerAddress: Ours));
        Convert.ToHexString(ipv6[(40 + 24)..]).Should().Be("0201" + "020000000001", "target link-layer address option");
    }

    [Fact]
    public void Checksum_covers_the_pseudo_header_so_a_changed_source_is_rejected()
    {
        var frame = Announcements.UnsolicitedNeighborAdvertisement(IPAddress.Parse("fd00::5"), Ours);
        frame[EthernetFields.HeaderLength + 8 + 15] ^= 1;
        NeighborDiscoveryMessage.TryDecode(frame.AsSpan(EthernetFields.HeaderLength), out _, out var rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.BadChecksum);
    }

    [Fact]
    public void Rfc_4861_validity_rules_are_enforced()
    {
        var target = IPAddress.Parse("fd00::5");
        var client = MacAddress.Parse("02:00:00:00:00:02");
        NeighborDiscoveryMessage Ns(IPAddress source, MacAddress? sourceLinkLayer) =>
            new(NeighborDiscoveryType.NeighborSolicitation, source, Ipv6Multicast.SolicitedNode(target), target, SourceLinkLayerAddress: sourceLinkLayer);

        Reject(Ns(IPAddress.IPv6Any, client)).Should().Be(FrameRejection.UnspecifiedSourceRules, "a DAD probe carries no source link-layer option");
        Reject(Ns(IPAddress.IPv6Any, null) with { Destination = target }).Should().Be(FrameRejection.UnspecifiedSourceRules);
        Reject(Ns(IPAddress.Parse("fd00::2"), client) with { Target = IPAddress.Parse("ff02::1") }).Should().Be(FrameRejection.MulticastTarget);
        Reject(new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborAdvertisement, target, Ipv6Multicast.AllNodes, target, NeighborAdvertisementFlags.Solicited))
            .Should().Be(FrameRejection.UnspecifiedSourceRules, "a solicited advertisement is never multicast");

        var packet = Encode(Ns(IPAddress.Parse("fd00::2"), client));
        packet[7] = 64;
        NeighborDiscoveryMessage.TryDecode(packet, out _, out var rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.HopLimitNot255);

        packet = Encode(Ns(IPAddress.Parse("fd00::2"), client));
        packet[40 + 24 + 1] = 0; // option length 0 would loop forever
        var parsed = new PacketDotNet.IPv6Packet(new PacketDotNet.Utils.ByteArraySegment(packet));
        ((PacketDotNet.IcmpV6Packet)parsed.PayloadPacket).UpdateIcmpChecksum(); // a valid checksum over the broken option
        NeighborDiscoveryMessage.TryDecode(packet, out _, out rejection).Should().BeFalse();
        rejection.Should().Be(FrameRejection.BadOption);
    }

    [Fact]
    public void Mac_addresses_parse_print_and_classify()
    {
        var mac = MacAddress.Parse("33:33:FF:00:01:00");
        mac.ToString().Should().Be("33:33:ff:00:01:00");
        mac.IsMulticast.Should().BeTrue();
        MacAddress.Broadcast.IsBroadcast.Should().BeTrue();
        Ours.IsMulticast.Should().BeFalse();
        MacAddress.Read(Ours.ToArray()).Should().Be(Ours);
        var bad = () => MacAddress.Parse("02:00:00");
        bad.Should().Throw<FormatException>();
    }

    private static FrameRejection Reject(NeighborDiscoveryMessage message)
    {
        NeighborDiscoveryMessage.TryDecode(Encode(message), out _, out var rejection).Should().BeFalse();
        return rejection;
    }

    private static byte[] Encode(NeighborDiscoveryMessage message)
    {
        var packet = new byte[message.EncodedLength];
        message.Encode(packet);
        return packet;
    }
}
