using System.Net;
using Beacon.Networking.Addresses;
using Beacon.Networking.Links;
using Beacon.Networking.Netlink;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Networking.Tests.Netlink;

/// <summary>rtnetlink encoding byte for byte, decoding of kernel-shaped messages, and garbage tolerance.</summary>
public sealed class RtnetlinkCodecTests
{
    [Fact]
    public void New_address_request_is_encoded_byte_for_byte()
    {
        var request = new AddressRequest(3, IPAddress.Parse("10.0.0.5"), 32, TimeSpan.FromSeconds(30), Protocol: BeaconAddressMark.Protocol);

        var bytes = RtnetlinkCodec.NewAddress(request, 7);

        Convert.ToHexString(bytes).Should().Be(
            "4C000000" + "1400" + "0505" + "07000000" + "00000000" + // nlmsghdr: RTM_NEWADDR, REQUEST|ACK|REPLACE|CREATE
            "02200000" + "03000000" +                             // ifaddrmsg: AF_INET /32, ifindex 3
            "08000200" + "0A000005" +                             // IFA_LOCAL
            "08000100" + "0A000005" +                             // IFA_ADDRESS
            "08000800" + "00000000" +                             // IFA_FLAGS
            "14000600" + "1E000000" + "1E000000" + "00000000" + "00000000" + // IFA_CACHEINFO preferred 30 s, valid 30 s
            "05000B00" + "BC000000");                             // IFA_PROTO 0xbc, padded
    }

    [Fact]
    public void Ipv6_request_skips_dad_and_can_omit_the_prefix_route_and_clamps_preferred_to_valid()
    {
        var request = new AddressRequest(2, IPAddress.Parse("fd00::1"), 128, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), NoPrefixRoute: true, Label: "ignored");

        var message = Single(RtnetlinkCodec.NewAddress(request, 1));
        var attributes = NetlinkAttributes.Parse(message.Payload[RtnetlinkCodec.AddressInfoLength..]);

        message.Payload.Span[0].Should().Be(RtnetlinkCodec.FamilyInet6);
        message.Payload.Span[2].Should().Be((byte)AddressFlags.NoDad, "the low 8 flag bits go in ifa_flags");
        attributes.U32(RtnetlinkCodec.IfaFlags).Should().Be((uint)(AddressFlags.NoDad | AddressFlags.NoPrefixRoute));
        attributes.Has(RtnetlinkCodec.IfaLabel).Should().BeFalse("IPv6 has no labels");
        var cache = attributes.Bytes(RtnetlinkCodec.IfaCacheInfo)!.Value.Span;
        BitConverter.ToUInt32(cache).Should().Be(10u, "preferred may not exceed valid");
        BitConverter.ToUInt32(cache[4..]).Should().Be(10u);
    }

    [Theory]
    [InlineData(300, 0, 0u, 300u)]
    [InlineData(null, 0, 0u, uint.MaxValue)]
    [InlineData(null, 60, 60u, uint.MaxValue)]
    public void A_preferred_lifetime_of_0_deprecates_and_goes_with_a_permanent_valid_one_too(int? valid, int preferred, uint wirePreferred, uint wireValid)
    {
        var request = new AddressRequest(2, IPAddress.Parse("fd00::1"), 128, valid is { } v ? TimeSpan.FromSeconds(v) : null, TimeSpan.FromSeconds(preferred));

        var cache = NetlinkAttributes.Parse(Single(RtnetlinkCodec.NewAddress(request, 1)).Payload[RtnetlinkCodec.AddressInfoLength..])
            .Bytes(RtnetlinkCodec.IfaCacheInfo)!.Value.Span;

        (BitConverter.ToUInt32(cache), BitConverter.ToUInt32(cache[4..])).Should().Be((wirePreferred, wireValid));
    }

    [Fact]
    public void Permanent_requests_carry_no_cacheinfo_and_no_protocol()
    {
        var attributes = NetlinkAttributes.Parse(Single(RtnetlinkCodec.NewAddress(new AddressRequest(1, IPAddress.Loopback, 8), 1)).Payload[8..]);
        attributes.Has(RtnetlinkCodec.IfaCacheInfo).Should().BeFalse();
        attributes.Has(RtnetlinkCodec.IfaProto).Should().BeFalse();
    }

    [Fact]
    public void New_link_request_nests_the_kind_inside_linkinfo()
    {
        Convert.ToHexString(RtnetlinkCodec.NewLink("kube-lb0", "dummy", 9)).Should().Be(
            "40000000" + "1000" + "0506" + "09000000" + "00000000" + // RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            "00000000" + "00000000" + "00000000" + "00000000" +     // ifinfomsg
            "0D000300" + "6B7562652D6C623000000000" +               // IFLA_IFNAME "kube-lb0\0"
            "10001280" + "0A000100" + "64756D6D79000000");          // IFLA_LINKINFO (nested) { IFLA_INFO_KIND "dummy\0" }
    }

    [Fact]
    public void Set_link_up_changes_only_the_up_flag()
    {
        var payload = Single(RtnetlinkCodec.SetLinkUp(5, up: false, 1)).Payload.Span;
        BitConverter.ToInt32(payload[4..]).Should().Be(5);
        BitConverter.ToUInt32(payload[8..]).Should().Be(0u);
        BitConverter.ToUInt32(payload[12..]).Should().Be((uint)LinkFlags.Up);
    }

    [Fact]
    public void Kernel_address_message_decodes_with_lifetimes_protocol_and_label()
    {
        // RTM_NEWADDR as the kernel sends it for 198.18.0.100/32 on ifindex 2, proto 0xbc, 29 s valid, 19 s preferred.
        var bytes = new NetlinkMessageWriter(NetlinkConstants.NewAddress, NetlinkConstants.FlagMulti, 4)
            .Raw([2, 32, 0x80, 0, 2, 0, 0, 0])
            .Attribute(RtnetlinkCodec.IfaAddress, [198, 18, 0, 100])
            .Attribute(RtnetlinkCodec.IfaLocal, [198, 18, 0, 100])
            .AttributeString(RtnetlinkCodec.IfaLabel, "eth0:bcn")
            .AttributeU32(RtnetlinkCodec.IfaFlags, 0x80)
            .Attribute(RtnetlinkCodec.IfaCacheInfo, [19, 0, 0, 0, 29, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])
            .AttributeU8(RtnetlinkCodec.IfaProto, 0xBC)
            .ToArray();

        var address = RtnetlinkCodec.DecodeAddress(Single(bytes))!;

        address.Should().BeEquivalentTo(new InterfaceAddress(
            2, IPAddress.Parse("198.18.0.100"), 32, AddressFlags.Permanent, 0, "eth0:bcn", 0xBC,
            new AddressLifetime(TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(19))));
    }

    [Fact]
    public void Kernel_link_message_decodes_name_mac_state_carrier_and_kind()
    {
        var bytes = new NetlinkMessageWriter(NetlinkConstants.NewLink, 0, 1)
            .Raw([0, 0, 1, 0, 7, 0, 0, 0, 0x43, 0x10, 0x01, 0, 0, 0, 0, 0]) // index 7, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
            .AttributeString(RtnetlinkCodec.IflaIfName, "eth0")
            .Attribute(RtnetlinkCodec.IflaAddress, [0x02, 0, 0, 0, 0, 0x07])
            .AttributeU32(RtnetlinkCodec.IflaMtu, 1500)
            .AttributeU8(RtnetlinkCodec.IflaOperState, 6)
            .AttributeU8(RtnetlinkCodec.IflaCarrier, 1)
            .BeginNested(RtnetlinkCodec.IflaLinkInfo).AttributeString(RtnetlinkCodec.IflaInfoKind, "veth").EndNested()
            .ToArray();

        var link = RtnetlinkCodec.DecodeLink(Single(bytes))!;

        link.Should().BeEquivalentTo(new LinkInfo(7, "eth0", MacAddress.Parse("02:00:00:00:00:07"),
            LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Running | LinkFlags.Multicast | LinkFlags.LowerUp,
            LinkOperationalState.Up, true, "veth", 1500));
        link.CanCarryTraffic.Should().BeTrue();
    }

    [Fact]
    public void Error_with_extended_ack_yields_errno_and_the_kernels_text()
    {
        var original = RtnetlinkCodec.NewLink("x", "dummy", 3);
        var error = new NetlinkMessageWriter(NetlinkConstants.MessageError, NetlinkConstants.FlagCapped | NetlinkConstants.FlagAckTlvs, 3)
            .Raw([.. BitConverter.GetBytes(-95), .. original.AsSpan(0, 16)])
            .AttributeString(NetlinkConstants.ErrorAttributeMessage, "Unknown device type")
            .ToArray();

        var (errno, text) = RtnetlinkCodec.DecodeError(Single(error));

        errno.Should().Be(95);
        text.Should().Be("Unknown device type");
        new NetlinkException("create link x of kind dummy", errno, text).Message
            .Should().Be("create link x of kind dummy: EOPNOTSUPP (95): Unknown device type");
    }

    [Fact]
    public void Multipart_datagrams_split_into_messages_and_a_bad_length_stops_parsing()
    {
        var a = new NetlinkMessageWriter(NetlinkConstants.NewAddress, NetlinkConstants.FlagMulti, 1).Raw(new byte[8]).ToArray();
        var done = new NetlinkMessageWriter(NetlinkConstants.MessageDone, NetlinkConstants.FlagMulti, 1).Raw(new byte[4]).ToArray();
        var list = new List<NetlinkMessage>();

        NetlinkMessage.TryParseAll((byte[])[.. a, .. a, .. done], list).Should().BeTrue();
        list.Select(m => m.Type).Should().Equal(NetlinkConstants.NewAddress, NetlinkConstants.NewAddress, NetlinkConstants.MessageDone);

        var broken = (byte[])[.. a, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        list.Clear();
        NetlinkMessage.TryParseAll(broken, list).Should().BeFalse();
        list.Should().ContainSingle();
    }

    [Property]
    public Property Decoding_arbitrary_bytes_never_throws()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<ushort>(), (bytes, type) =>
        {
            var list = new List<NetlinkMessage>();
            _ = NetlinkMessage.TryParseAll(bytes, list);
            var forged = new NetlinkMessage((ushort)(type % 4 switch { 0 => 16, 1 => 20, 2 => 2, _ => 21 }), 0, 0, 0, bytes);
            _ = RtnetlinkCodec.DecodeAddress(forged);
            _ = RtnetlinkCodec.DecodeLink(forged);
            _ = RtnetlinkCodec.DecodeError(forged);
            _ = NetworkChangeMonitor.Decode(forged);
            foreach (var m in list)
            {
                _ = NetworkChangeMonitor.Decode(m);
            }

            return true;
        });
    }

    private static NetlinkMessage Single(byte[] bytes)
    {
        var list = new List<NetlinkMessage>();
        NetlinkMessage.TryParseAll(bytes, list).Should().BeTrue();
        return list.Should().ContainSingle().Subject;
    }
}
