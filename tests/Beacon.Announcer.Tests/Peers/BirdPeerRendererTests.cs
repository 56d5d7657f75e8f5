using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Bird;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Resource peers as BIRD protocols: every field, per-peer routes and attributes, removal, and BIRD accepting it.</summary>
public sealed class BirdPeerRendererTests
{
    private static AnnouncementSet Sample(params ResourcePeer[] peers)
    {
        var web = Desired.Routed("default/web", "198.19.10.5") with
        {
            ToPeers = [new PeerAdvertisement("router-a", new BgpAttributes(["65000:100"], ["65000:1:2"], 200))],
        };
        var api = Desired.Routed("default/api", "198.19.10.6") with { ToPeers = [new PeerAdvertisement("plain", BgpAttributes.None)] };
        return new AnnouncementSet([web, api, Desired.Routed("default/other", "198.19.10.7")], peers);
    }

    [Fact]
    public void Every_field_of_a_peer_is_rendered_and_its_export_filter_sends_only_its_routes_with_their_attributes()
    {
        var text = BirdPeerRenderer.Render(PeerPlanner.Plan(Sample(new ResourcePeer(Full, "s3cret")), false), "beacon", bfdProtocol: true);

        text.Should().Be(
            "protocol bfd beacon_bfd { }\n" +
            "protocol bgp beacon_peer_router_a {\n" +
            "  description \"Beacon peer router-a\";\n" +
            "  local 198.18.0.11 as 65010;\n" +
            "  neighbor 198.18.0.1 port 1179 as 65000;\n" +
            "  vrf \"red\";\n" +
            "  hold time 9;\n" +
            "  keepalive time 3;\n" +
            "  multihop;\n" +
            "  password \"s3cret\";\n" +
            "  bfd { min rx interval 100 ms; min tx interval 200 ms; multiplier 3; passive on; };\n" +
            "  ipv4 { import none; next hop self; export filter { if proto != \"beacon4\" then reject;" +
            " if net = 198.19.10.5/32 then { bgp_community.add((65000,100)); bgp_large_community.add((65000,1,2)); bgp_local_pref = 200; accept; }" +
            " reject; }; };\n" +
            "}\n");
    }

    [Fact]
    public void A_minimal_peer_has_no_optional_lines_and_BFD_without_a_profile_is_not_rendered()
    {
        var text = BirdPeerRenderer.Render(PeerPlanner.Plan(Sample(new ResourcePeer(Peer("plain"), null)), false), "beacon", bfdProtocol: true);

        text.Should().Be(
            "protocol bgp beacon_peer_plain {\n" +
            "  description \"Beacon peer plain\";\n" +
            "  local as 65010;\n" +
            "  neighbor 198.18.0.1 as 65000;\n" +
            "  ipv4 { import none; next hop self; export filter { if proto != \"beacon4\" then reject; if net = 198.19.10.6/32 then { accept; } reject; }; };\n" +
            "}\n");
    }

    [Fact]
    public void A_removed_peer_disappears_from_the_file_and_a_changed_one_is_rendered_anew()
    {
        var with = BirdConfigRenderer.Render([], PeerPlanner.Plan(Sample(new ResourcePeer(Peer("plain"), null)), false), "beacon", "node1", true);
        var changed = BirdConfigRenderer.Render([], PeerPlanner.Plan(Sample(new ResourcePeer(Peer("plain", peerAsn: 65001), null)), false), "beacon", "node1", true);
        var without = BirdConfigRenderer.Render([], PeerPlanner.Plan(Sample(), false), "beacon", "node1", true);

        with.Should().Contain("protocol bgp beacon_peer_plain");
        changed.Should().Contain("neighbor 198.18.0.1 as 65001;");
        without.Should().NotContain("protocol bgp").And.Be(BirdConfigRenderer.Render([], "beacon", "node1"));
    }

    [Fact]
    public void An_iBGP_peer_with_BFD_and_no_source_address_is_a_direct_single_hop_session()
    {
        string Render(Contracts.BgpPeerConfig peer) => BirdPeerRenderer.Render(PeerPlanner.Plan(Sample(new ResourcePeer(peer, null)), false), "beacon", true);

        Render(Peer("plain", myAsn: 65000, bfd: Fast)).Should().Contain("  direct;\n");
        Render(Peer("plain", myAsn: 65000)).Should().NotContain("direct;", "without BFD BIRD's iBGP default stands");
        Render(Peer("plain", myAsn: 65000, bfd: Fast) with { SourceAddress = "198.18.0.11" }).Should().NotContain("direct;");
        Render(Peer("plain", bfd: Fast)).Should().NotContain("direct;", "eBGP is single-hop already");
    }

    [Fact]
    public void The_bfd_protocol_is_left_to_the_operator_when_asked()
    {
        BirdPeerRenderer.Render(PeerPlanner.Plan(Sample(new ResourcePeer(Full, null)), false), "beacon", bfdProtocol: false)
            .Should().NotContain("protocol bfd").And.Contain("bfd {");
    }

    [Fact]
    public void An_IPv6_peer_gets_an_ipv6_channel_with_the_IPv6_routes()
    {
        var v6 = Desired.Routed("default/web6", "fd00:beac:ff::5") with { ToPeers = [new PeerAdvertisement("v6", BgpAttributes.None)] };
        var text = BirdPeerRenderer.Render(
            PeerPlanner.Plan(new AnnouncementSet([v6], [new ResourcePeer(Peer("v6", "fd00:beac::1"), null)]), false), "beacon", true);

        text.Should().Contain("ipv6 { import none; next hop self; export filter { if proto != \"beacon6\" then reject; if net = fd00:beac:ff::5/128 then");
    }

    [Fact]
    public void BFD_echo_and_minimum_TTL_which_BIRD_lacks_are_reported_per_peer_and_not_rendered()
    {
        var echo = Fast with { Name = "echo", EchoMode = true, EchoInterval = 50, MinimumTtl = 250 };
        var peers = PeerPlanner.Plan(Sample(new ResourcePeer(Peer("router-a", bfd: echo), null), new ResourcePeer(Peer("plain", "198.18.0.2", bfd: Fast), null),
            new ResourcePeer(Peer("ttl", "198.18.0.3", bfd: Fast with { Name = "ttl", MinimumTtl = 254 }), null)), false);

        var warnings = BirdPeerRenderer.NotRendered(peers);

        warnings.Should().HaveCount(2);
        warnings[0].Should().Contain("peer 'router-a'").And.Contain("'echo' sets echoMode, echoInterval, minimumTtl").And.Contain("runs without");
        warnings[1].Should().Contain("peer 'ttl'").And.Contain("sets minimumTtl");
        var text = BirdPeerRenderer.Render(peers, "beacon", bfdProtocol: true);
        text.Should().NotContain("echo").And.NotContain("ttl security").And.Contain("bfd { min rx interval 100 ms; min tx interval 200 ms; multiplier 3; passive on; };");
        BirdPeerRenderer.NotRendered(PeerPlanner.Plan(Sample(new ResourcePeer(Peer("plain", bfd: Fast with { EchoMode = false }), null)), false))
            .Should().BeEmpty("echoMode: false asks for nothing BIRD lacks");
    }

    [Fact]
    public async Task BIRD_parses_the_rendered_peers()
    {
        var directory = DaemonDirectory.Create("bird-peers-parse");
        try
        {
            var set = Sample(new ResourcePeer(Full with { Vrf = null }, "s3cret"), new ResourcePeer(Peer("plain", "198.18.0.2"), null),
                new ResourcePeer(Peer("v6", "fd00:beac::1", bfd: Fast with { ReceiveInterval = null, TransmitInterval = null, DetectMultiplier = null, PassiveMode = null }), null));
            var include = Path.Combine(directory, "beacon.conf");
            var main = Path.Combine(directory, "bird.conf");
            await File.WriteAllTextAsync(include, BirdConfigRenderer.Render(RoutePlanner.Plan(set, false), PeerPlanner.Plan(set, false), "beacon", "node1", true));
            await File.WriteAllTextAsync(main, $"router id 198.18.0.11;\nprotocol device {{}}\ninclude \"{include}\";\n");

            var check = await HostCommand.RunAsync("bird", "-p", "-c", main);

            check.Succeeded.Should().BeTrue($"BIRD should parse:\n{await File.ReadAllTextAsync(include)}\n{check.StandardError}");
        }
        finally
        {
            DaemonDirectory.TryDelete(directory);
        }
    }
}
