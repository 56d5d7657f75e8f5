using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.OpenElb;

namespace Beacon.Allocator.Tests.Formats.OpenElb;

public sealed class BgpTranslatorTests
{
    private static JsonObject Spec(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void A_bgp_peer_becomes_the_same_peer_a_metallb_bgppeer_gives()
    {
        var translation = BgpTranslator.TranslatePeer("router", Spec("""
            {"conf":{"peerAs":65001,"neighborAddress":"172.22.0.2","authPassword":"s3cret","vrf":"blue"},
             "transport":{"remotePort":1790,"localAddress":"172.22.0.10"},
             "timers":{"config":{"holdTime":"90","keepaliveInterval":30}},
             "ebgpMultihop":{"enabled":true,"multihopTtl":3},
             "nodeSelector":{"matchLabels":{"openelb.kubesphere.io/rack":"leaf1"}}}
            """), localAs: 65000);

        translation.Problems.Should().BeEmpty();
        var peer = translation.Peer!;
        (peer.Name, peer.MyAsn, peer.PeerAsn, peer.PeerAddress, peer.PeerPort, peer.SourceAddress).Should().Be(("router", 65000u, 65001u, "172.22.0.2", (int?)1790, "172.22.0.10"));
        (peer.HoldTime, peer.KeepaliveTime, peer.EbgpMultiHop, peer.Vrf, peer.HasInlinePassword).Should().Be(("90s", "30s", true, "blue", true));
        peer.NodeSelectors.Should().ContainSingle().Which.MatchLabels.Should().Contain("openelb.kubesphere.io/rack", "leaf1");
    }

    [Fact]
    public void The_peers_own_local_as_wins_over_the_bgpconf()
    {
        var peer = BgpTranslator.TranslatePeer("p", Spec("""{"conf":{"peerAs":65001,"localAs":64512,"neighborAddress":"10.0.0.1"}}"""), 65000).Peer!;

        peer.MyAsn.Should().Be(64512u);
    }

    [Theory]
    [InlineData("""{"conf":{"peerAs":65001}}""", "spec.conf.neighborAddress", "is required (the peer's address)")]
    [InlineData("""{"conf":{"peerAs":65001,"neighborInterface":"eth1"}}""", "spec.conf.neighborAddress", "is required: Beacon does not peer by interface (neighborInterface)")]
    [InlineData("""{"conf":{"neighborAddress":"10.0.0.1"}}""", "spec.conf.peerAs", "is required (an AS number)")]
    [InlineData("""{"conf":{"peerAs":0,"neighborAddress":"10.0.0.1"}}""", "spec.conf.peerAs", "0 is not an AS number (1 to 4294967295)")]
    [InlineData("""{"conf":{"peerAs":65001,"neighborAddress":"router"}}""", "spec.conf.neighborAddress", "'router' is not an IP address")]
    [InlineData("""{"conf":{"peerAs":65001,"neighborAddress":"10.0.0.1"},"transport":{"remotePort":70000}}""", "spec.transport.remotePort", "70000 is not a TCP port (1 to 65535)")]
    [InlineData("""{"conf":{"peerAs":65001,"neighborAddress":"10.0.0.1"},"timers":{"config":{"holdTime":"2"}}}""", "spec.timers.config.holdTime", "2 must be 0 or at least 3 seconds (RFC 4271)")]
    [InlineData("""{"conf":{"peerAs":65001,"neighborAddress":"10.0.0.1"},"timers":{"config":{"holdTime":"9","keepaliveInterval":"9"}}}""", "spec.timers.config.keepaliveInterval", "9 must be lower than holdTime (9)")]
    [InlineData("""{"conf":{"peerAs":65001,"neighborAddress":"10.0.0.1"},"timers":{"config":{"holdTime":"ninety"}}}""", "spec.timers.config.holdTime", "'ninety' is not a number of seconds (0 to 65535)")]
    public void A_peer_missing_what_a_session_needs_is_rejected_naming_the_field(string spec, string field, string message)
    {
        var translation = BgpTranslator.TranslatePeer("p", Spec(spec), 65000);

        translation.Peer.Should().BeNull();
        translation.Problems.Should().Contain(p => p.Rejected && p.Field == field && p.Message == message);
    }

    [Fact]
    public void Without_a_local_as_anywhere_the_peer_is_rejected_and_says_where_to_put_one()
    {
        var translation = BgpTranslator.TranslatePeer("p", Spec("""{"conf":{"peerAs":65001,"neighborAddress":"10.0.0.1"}}"""), localAs: null);

        translation.Peer.Should().BeNull();
        translation.Problems.Should().ContainSingle().Which.Message.Should().Contain("BgpConf 'default'");
    }

    [Fact]
    public void The_bgpconf_gives_the_as_router_id_and_port_and_flags_what_beacon_does_not_render()
    {
        var conf = BgpTranslator.TranslateConf("default", Spec("""{"as":65000,"routerId":"10.0.0.10","listenPort":17900,"asPerRack":{"leaf1":65010}}"""));

        (conf.As, conf.RouterId, conf.ListenPort).Should().Be((65000u, "10.0.0.10", (int?)17900));
        conf.Problems.Should().ContainSingle(p => !p.Rejected && p.Field == "spec.asPerRack");
        BgpTranslator.TranslateConf("default", Spec("""{"as":65000,"routerId":"fd00::1"}""")).As.Should().BeNull();
        BgpTranslator.TranslateConf("other", Spec("""{"as":65000}""")).Problems.Should().ContainSingle(p => !p.Rejected && p.Message.Contains("'default'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bgp_eip_is_advertised_to_every_peer_with_the_bgpconfs_as()
    {
        var world = FormatWorld.Of(("bgp.yaml", """
            apiVersion: network.kubesphere.io/v1alpha2
            kind: BgpConf
            metadata:
              name: default
            spec:
              as: 65000
              listenPort: 17900
              routerId: 172.22.0.10
            ---
            apiVersion: network.kubesphere.io/v1alpha2
            kind: BgpPeer
            metadata:
              name: tor
            spec:
              conf:
                peerAs: 65001
                neighborAddress: 172.22.0.2
            ---
            apiVersion: network.kubesphere.io/v1alpha2
            kind: Eip
            metadata:
              name: bgp-eip
            spec:
              address: 198.18.100.0/28
            """));

        world.Translation.Problems.Should().BeEmpty();
        var bgp = world.Translation.Announcements["bgp-eip"].Bgp.Should().ContainSingle().Subject;
        bgp.Peers.Should().ContainSingle().Which.Should().Match<Beacon.Contracts.BgpPeerConfig>(p => p.MyAsn == 65000 && p.PeerAsn == 65001 && p.PeerAddress == "172.22.0.2");
        (bgp.AggregationLength, bgp.AggregationLengthV6).Should().Be(((int?)32, (int?)128));
    }

    [Theory]
    [InlineData("router", "198.18.0.1", "a BGP peer named 'router' is already configured by BGPPeer metallb-system/router")]
    [InlineData("tor", "198.18.0.1", "the same session (198.18.0.1 port 179 vrf '') is already configured by BGP peer 'router' of BGPPeer metallb-system/router")]
    public void A_bgp_peer_clashing_with_a_metallb_bgppeer_is_rejected_naming_it_not_dropped_silently(string name, string address, string message)
    {
        var translation = Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests.Translate($$"""
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: { name: router, namespace: metallb-system }
            spec: { myASN: 65000, peerASN: 65001, peerAddress: 198.18.0.1 }
            ---
            apiVersion: network.kubesphere.io/v1alpha2
            kind: BgpConf
            metadata: { name: default }
            spec: { as: 65000 }
            ---
            apiVersion: network.kubesphere.io/v1alpha2
            kind: BgpPeer
            metadata: { name: {{name}} }
            spec: { conf: { peerAs: 65002, neighborAddress: "{{address}}" } }
            """);

        translation.Peers.Should().ContainSingle().Which.PeerAsn.Should().Be(65001u, "without creation times the name decides, and BGPPeer sorts before BgpPeer");
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Should().Match<Beacon.Allocator.Formats.ForeignProblem>(p =>
            p.Resource == $"BgpPeer {name}" && p.Message.Contains(message));
    }
}
