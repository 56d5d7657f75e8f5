using Beacon.Allocator.Formats;
using Beacon.Contracts;
using static Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>L2Advertisement, BGPAdvertisement, BGPPeer, BFDProfile and Community: what reaches the announcers.</summary>
public sealed class AdvertisementTests
{
    private const string L2 = """
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: { name: lan-l2, namespace: metallb-system }
        spec:
          ipAddressPools: [lan]
          nodeSelectors:
          - matchLabels: { kubernetes.io/hostname: node-1 }
          interfaces: [eth0, eth1]
        ---
        """ + "\n";

    private const string Peers = """
        apiVersion: metallb.io/v1beta1
        kind: BFDProfile
        metadata: { name: fast, namespace: metallb-system }
        spec: { receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3, echoMode: false, passiveMode: true, minimumTtl: 254 }
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: { name: router, namespace: metallb-system }
        spec:
          myASN: 64512
          peerASN: 64500
          peerAddress: 10.1.0.1
          peerPort: 1179
          holdTime: 90s
          keepaliveTime: 30s
          password: secret
          bfdProfile: fast
          vrf: red
          nodeSelectors:
          - matchExpressions: [{ key: rack, operator: In, values: [a, b] }]
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPPeer
        metadata: { name: other, namespace: metallb-system }
        spec: { myASN: 64512, peerASN: 64501, peerAddress: 10.1.0.2, ebgpMultiHop: true, passwordSecret: { name: bgp-pass } }
        ---
        apiVersion: metallb.io/v1beta1
        kind: Community
        metadata: { name: communities, namespace: metallb-system }
        spec:
          communities:
          - { name: no-advertise, value: "65535:65282" }
        ---
        """ + "\n";

    [Fact]
    public void L2Advertisement_node_selectors_and_interfaces_reach_the_pool_it_names()
    {
        var translation = Translate(Pool("lan", "192.168.10.240-192.168.10.250") + Pool("quiet", "192.168.11.0/24") + L2);

        var lan = translation.Announcements["lan"];
        lan.Announced.Should().BeTrue();
        var l2 = lan.Layer2.Should().ContainSingle().Subject;
        l2.Source.Should().Be("L2Advertisement metallb-system/lan-l2");
        l2.Interfaces.Should().Equal("eth0", "eth1");
        l2.NodeSelectors.Should().ContainSingle().Which.MatchLabels.Should().Equal(new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-1" });
        lan.Bgp.Should().BeEmpty();

        // A pool no advertisement covers is allocated from but not announced, as in MetalLB, and the user is told so.
        translation.Announcements["quiet"].Announced.Should().BeFalse();
        translation.Pools.Select(p => p.Name).Should().Contain("quiet");
        translation.Problems.Should().ContainSingle(p => !p.Rejected && p.Resource == "IPAddressPool metallb-system/quiet").Which.Message.Should().Contain("not announced");
    }

    [Fact]
    public void An_advertisement_without_pools_covers_every_pool_and_pool_selectors_match_labels()
    {
        var labelled = Pool("gold", "10.0.1.0/24").Replace("  namespace: metallb-system", "  namespace: metallb-system\n  labels: { tier: gold }", StringComparison.Ordinal);
        var translation = Translate(Pool("plain", "10.0.0.0/24") + labelled + """
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: { name: all, namespace: metallb-system }
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: { name: gold-only, namespace: metallb-system }
            spec:
              ipAddressPoolSelectors:
              - matchLabels: { tier: gold }
            """);

        translation.Announcements["plain"].Layer2.Should().ContainSingle();
        translation.Announcements["plain"].Bgp.Should().BeEmpty();
        translation.Announcements["gold"].Bgp.Should().ContainSingle().Which.Source.Should().Be("BGPAdvertisement metallb-system/gold-only");
    }

    [Fact]
    public void BGPAdvertisement_carries_aggregation_local_pref_resolved_communities_and_peers_with_BFD()
    {
        var translation = Translate(Pool("bgp", "10.2.0.0/24, 'fd00:2::/120'") + Peers + """
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: { name: upstream, namespace: metallb-system }
            spec:
              ipAddressPools: [bgp]
              aggregationLength: 24
              aggregationLengthV6: 120
              localPref: 150
              communities: [no-advertise, "64500:100", "large:64500:1:2"]
              peers: [router]
              nodeSelectors:
              - matchLabels: { bgp: "yes" }
            """);

        translation.Problems.Where(p => p.Rejected).Should().BeEmpty();
        var bgp = translation.Announcements["bgp"].Bgp.Should().ContainSingle().Subject;
        bgp.AggregationLength.Should().Be(24);
        bgp.AggregationLengthV6.Should().Be(120);
        bgp.LocalPref.Should().Be(150u);
        bgp.Communities.Should().Equal("65535:65282", "64500:100", "large:64500:1:2");
        bgp.NodeSelectors.Single().MatchLabels["bgp"].Should().Be("yes");
        var peer = bgp.Peers.Should().ContainSingle().Subject;
        peer.Should().BeEquivalentTo(new
        {
            Name = "router",
            MyAsn = 64512u,
            PeerAsn = 64500u,
            PeerAddress = "10.1.0.1",
            PeerPort = (int?)1179,
            HoldTime = "90s",
            KeepaliveTime = "30s",
            Vrf = "red",
            HasInlinePassword = true,
            PasswordSecret = (string?)null,
        });
        peer.Bfd.Should().Be(new BfdProfileConfig("fast", 100, 100, 3, null, false, true, 254));
        peer.NodeSelectors.Single().MatchExpressions.Single().Should().BeEquivalentTo(new NodeSelectorRequirement("rack", "In", ["a", "b"]));

        // The engine aggregates as the first BGP advertisement says.
        var spec = translation.Pools.Single();
        spec.V4Pools.Single().Aggregation.Should().Be("/24");
        spec.V6Pools.Single().Aggregation.Should().Be("/120");
    }

    [Fact]
    public void Without_peers_a_BGPAdvertisement_goes_to_every_valid_peer_and_passwords_never_travel()
    {
        var translation = Translate(Pool("bgp", "10.2.0.0/24") + Peers + "apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: { name: all, namespace: metallb-system }\n");

        var bgp = translation.Announcements["bgp"].Bgp.Single();
        bgp.AggregationLength.Should().BeNull();
        bgp.Peers.Select(p => p.Name).Should().Equal("other", "router");
        bgp.Peers.Single(p => p.Name == "other").PasswordSecret.Should().Be("metallb-system/bgp-pass");
        bgp.Peers.Single(p => p.Name == "other").EbgpMultiHop.Should().BeTrue();
        System.Text.Json.JsonSerializer.Serialize(bgp).Should().NotContain("secret\"");
    }

    [Theory]
    [InlineData("aggregationLength: 16", "aggregationLength", "more specific than /16")]
    [InlineData("communities: [no-such-alias]", "communities[0]", "nor the name of one defined in a Community")]
    [InlineData("communities: [\"70000:1\"]", "communities[0]", "two numbers from 0 to 65535")]
    public void An_invalid_BGPAdvertisement_is_rejected_with_MetalLBs_reason(string field, string path, string message)
    {
        var translation = Translate(Pool("bgp", "10.2.0.0/24") + $"apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {{ name: bad, namespace: metallb-system }}\nspec:\n  {field}\n");

        translation.Announcements["bgp"].Bgp.Should().BeEmpty();
        var problem = translation.Problems.Should().ContainSingle(p => p.Rejected).Subject;
        problem.Resource.Should().Be("BGPAdvertisement metallb-system/bad");
        problem.Field.Should().Be(path);
        problem.Message.Should().Contain(message);
        problem.At.Should().Be("metallb.yaml:14");
    }

    [Theory]
    [InlineData("{ myASN: 64512, peerASN: 64500, peerAddress: 10.1.0.9, password: a, passwordSecret: { name: s } }", "passwordSecret", "cannot be set together with password")]
    [InlineData("{ myASN: 64512, peerASN: 64500, peerAddress: 10.1.0.9, bfdProfile: missing }", "bfdProfile", "no BFDProfile 'missing'")]
    [InlineData("{ myASN: 64512, peerASN: 64512, peerAddress: 10.1.0.9, ebgpMultiHop: true }", "ebgpMultiHop", "eBGP")]
    [InlineData("{ myASN: 64512, peerASN: 64500, peerAddress: 10.1.0.9, holdTime: 2s }", "holdTime", "at least 3s")]
    [InlineData("{ myASN: 64512, peerASN: 64500, peerAddress: 10.1.0.9, holdTime: 30s, keepaliveTime: 60s }", "keepaliveTime", "must not be above holdTime")]
    [InlineData("{ myASN: 64512, peerASN: 64500, peerAddress: not-an-ip }", "peerAddress", "is not an IP address")]
    [InlineData("{ myASN: 64512, peerASN: 64500, peerAddress: 10.1.0.2 }", "peerAddress", "already configured by BGPPeer metallb-system/other")]
    public void An_invalid_BGPPeer_is_rejected_and_the_others_stay(string spec, string field, string message)
    {
        var translation = Translate(Pool("bgp", "10.2.0.0/24") + Peers + $"apiVersion: metallb.io/v1beta1\nkind: BGPPeer\nmetadata: {{ name: zz-bad, namespace: metallb-system }}\nspec: {spec}\n---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {{ name: all, namespace: metallb-system }}\n");

        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Should().Match<ForeignProblem>(p =>
            p.Resource == "BGPPeer metallb-system/zz-bad" && p.Field == field && p.Message.Contains(message));
        translation.Announcements["bgp"].Bgp.Single().Peers.Select(p => p.Name).Should().Equal("other", "router");
    }

    private static FormatTranslation DynamicAsnPeer(string dynamicAsn) => Translate(Pool("bgp", "10.2.0.0/24") + $$"""
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: { name: dynamic, namespace: metallb-system }
        spec: { myASN: 64512, dynamicASN: {{dynamicAsn}}, peerAddress: 10.1.0.9 }
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: { name: all, namespace: metallb-system }

        """);

    [Fact]
    public void DynamicASN_internal_is_a_session_to_the_nodes_own_AS()
    {
        var translation = DynamicAsnPeer("internal");

        translation.Problems.Should().BeEmpty();
        translation.Announcements["bgp"].Bgp.Single().Peers.Should().ContainSingle().Which.PeerAsn.Should().Be(64512, "internal means the peer's AS is the node's");
    }

    [Theory]
    [InlineData("external", "external is not supported by Beacon: set peerASN")]
    public void DynamicASN_external_rejects_the_peer_by_name_instead_of_a_session_to_AS_0(string dynamicAsn, string message)
    {
        var translation = DynamicAsnPeer(dynamicAsn);

        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Should().Match<ForeignProblem>(p =>
            p.Resource == "BGPPeer metallb-system/dynamic" && p.Field == "dynamicASN" && p.Message.Contains(message));
        translation.Announcements["bgp"].Bgp.Single().Peers.Should().BeEmpty();
    }

    [Fact]
    public void A_missing_pool_or_peer_reference_is_a_warning_not_a_rejection()
    {
        var translation = Translate(Pool("lan", "10.0.0.0/24") + """
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: { name: typo, namespace: metallb-system }
            spec: { ipAddressPools: [lan, lna], peers: [nobody] }
            """);

        translation.Problems.Should().OnlyContain(p => !p.Rejected);
        translation.Problems.Select(p => p.Field).Should().Contain(["ipAddressPools[1]", "peers[0]"]);
        translation.Announcements["lan"].Bgp.Should().ContainSingle();
    }

    [Fact]
    public void Layer_2_addresses_are_plumbed_as_host_addresses_and_BGP_ones_routed_with_their_aggregation()
    {
        var local = new AllocatedAddress("192.168.10.240", 24, IpFamily.IPv4, AddressPlacement.Remote, "lan", "192.168.10.0/24", null);
        var change = new AllocationChanged(new ServiceKey("default", "web"), [local], "lan", [], TrafficPolicy.Cluster, [], null, 0, string.Empty);
        var l2 = new AnnouncementPolicy(true, [new Layer2Announcement("L2Advertisement x", [], [])], []);
        var bgp = new AnnouncementPolicy(true, [], [new BgpAnnouncement("BGPAdvertisement y", 24, null, null, [], [], [])]);

        var asL2 = AnnouncedPlacement.Apply(change, l2);
        asL2.Addresses.Single().Should().Match<AllocatedAddress>(a => a.Placement == AddressPlacement.Local && a.PrefixLength == 32);
        asL2.Announce.Should().BeSameAs(l2);

        AnnouncedPlacement.Apply(change, bgp).Addresses.Single().Should().Match<AllocatedAddress>(a =>
            a.Placement == AddressPlacement.Remote && a.PrefixLength == 32 && a.AggregationPrefixLength == 24);

        AnnouncedPlacement.Apply(change, null).Should().BeSameAs(change);
    }

    [Fact]
    public void The_announcement_policy_is_on_the_wire_only_when_set()
    {
        var change = new AllocationChanged(new ServiceKey("default", "web"), [], "lan", [], TrafficPolicy.Cluster, [], null, 0, string.Empty);
        var plain = System.Text.Json.JsonSerializer.Serialize(change, ContractsJsonContext.Default.AllocationChanged);
        plain.Should().NotContain("announce");

        var policy = new AnnouncementPolicy(false, [], []);
        var json = System.Text.Json.JsonSerializer.Serialize(change with { Announce = policy }, ContractsJsonContext.Default.AllocationChanged);
        System.Text.Json.JsonSerializer.Deserialize(json, ContractsJsonContext.Default.AllocationChanged)!.Announce!.Announced.Should().BeFalse();
    }
}
