using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Peers;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Resource peers as gobgpd neighbours: every field but BFD (reported), defaults, the operator's neighbours kept.</summary>
public sealed class GoBgpPeerPlanTests
{
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    [Fact]
    public void Every_field_of_a_BGPPeer_becomes_neighbour_configuration_and_only_BFD_is_reported()
    {
        var plan = GoBgpPeerPlan.Build([new ResourcePeer(Full, "s3cret")], None);

        plan.Peers.Should().Equal(new GoBgpPeer("router-a", "198.18.0.1", 65000, 65010, "s3cret", 1179, "198.18.0.11", 9, 3, "red", 255));
        plan.Warnings.Should().ContainSingle().Which.Should().Be(
            "peer 'router-a': BFD (profile 'fast': gobgpd has no BFD) is not configured; the session runs without");
    }

    [Fact]
    public void Unset_timers_take_MetalLBs_defaults_and_a_hold_time_alone_gives_a_third_as_keepalive()
    {
        var plan = GoBgpPeerPlan.Build(
            [new ResourcePeer(Peer("a"), null), new ResourcePeer(Peer("b", "fd00:beac::1") with { HoldTime = "6s" }, null), new ResourcePeer(Peer("c", "198.18.0.3") with { HoldTime = "0s" }, null)],
            None);

        plan.Peers.Select(p => (p.Address, p.HoldTime, p.KeepaliveInterval, p.Password, p.Port, p.MultihopTtl)).Should().Equal(
            ("198.18.0.1", 90u, 30u, (string?)null, (int?)null, 0u),
            ("fd00:beac::1", 6u, 2u, null, null, 0u),
            ("198.18.0.3", 0u, 0u, null, null, 0u));
        plan.Peers[1].IsIPv6.Should().BeTrue();
        plan.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_peer_on_an_operator_neighbours_address_a_duplicate_and_a_malformed_one_are_reported_and_the_others_configured()
    {
        var plan = GoBgpPeerPlan.Build(
        [
            new ResourcePeer(Peer("a-operator", "198.18.0.9"), null),
            new ResourcePeer(Peer("b-good", "198.18.0.1"), null),
            new ResourcePeer(Peer("c-same", "198.18.0.1"), null),
            new ResourcePeer(Peer("d-bad", "198.18.0.4") with { SourceAddress = "not-an-ip\"]" }, null),
        ], new HashSet<string>(["198.18.0.9"], StringComparer.Ordinal));

        plan.Peers.Select(p => p.Name).Should().Equal("b-good");
        plan.Warnings.Should().HaveCount(3);
        plan.Warnings[0].Should().Contain("'a-operator'").And.Contain("already a neighbour");
        plan.Warnings[1].Should().Contain("'c-same'").And.Contain("not configured");
        plan.Warnings[2].Should().Contain("'d-bad'").And.Contain("not an IP address").And.Contain("not configured");
    }

    [Fact]
    public void A_neighbour_runs_as_configured_only_when_gobgpd_reports_every_field_and_a_timer_change_is_told_apart()
    {
        var peer = GoBgpPeerPlan.Build([new ResourcePeer(Full, "s3cret")], None).Peers[0];
        var running = new GoBgpNeighbor("198.18.0.1", 65000, 65010, "red", 255, "s3cret", 1179, "198.18.0.11", 9, 3);

        peer.IsConfiguredAs(running).Should().BeTrue();
        peer.IsConfiguredAs(running with { Password = "other" }).Should().BeFalse();
        peer.IsConfiguredAs(running with { RemotePort = 179 }).Should().BeFalse();
        peer.IsConfiguredAs(running with { LocalAddress = "0.0.0.0" }).Should().BeFalse();
        peer.IsConfiguredAs(running with { HoldTime = 90 }).Should().BeFalse();
        peer.HasTimersOf(running with { Password = "other" }).Should().BeTrue();
        peer.HasTimersOf(running with { KeepaliveInterval = 30 }).Should().BeFalse();
        var plain = GoBgpPeerPlan.Build([new ResourcePeer(Peer("a"), null)], None).Peers[0];
        plain.IsConfiguredAs(new GoBgpNeighbor("198.18.0.1", 65000, 65010, "", 0, "", 179, "0.0.0.0", 90, 30)).Should().BeTrue("gobgpd's defaults are the unset fields");
    }

    [Fact]
    public void Neighbours_are_read_from_the_CLIs_JSON_with_password_transport_and_timers()
    {
        // As gobgp 3.10 prints them (trimmed), for a neighbour from a config file and one with nothing but the address.
        const string json = """
            [{"conf":{"auth_password":"a\"b\\c","local_asn":65000,"neighbor_address":"198.18.0.1","peer_asn":65001,"type":1},"ebgp_multihop":{"enabled":true,"multihop_ttl":255},"state":{"session_state":3},"timers":{"config":{"connect_retry":1,"hold_time":6,"keepalive_interval":2,"idle_hold_time_after_reset":30}},"transport":{"local_address":"198.18.0.11","remote_port":1179}},
             {"conf":{"neighbor_address":"fd00:beac::1","peer_asn":65001,"vrf":"red"}},
             {"conf":{"neighbor_interface":"eth1"}}]
            """;

        GoBgpNeighbors.Parse(json).Should().Equal(
            new GoBgpNeighbor("198.18.0.1", 65001, 65000, "", 255, "a\"b\\c", 1179, "198.18.0.11", 6, 2),
            new GoBgpNeighbor("fd00:beac::1", 65001, 0, "red", 0));
        GoBgpNeighbors.Parse("").Should().BeEmpty();
    }

    [Theory]
    [InlineData("/usr/bin/gobgpd -f /run/gobgp/gobgpd.toml --api-hosts unix:///run/gobgp/api.sock", true)]
    [InlineData("gobgpd --config-file=/run/gobgp/gobgpd.toml", true)]
    [InlineData("gobgpd --config-file /run/gobgp/../gobgp/gobgpd.toml", true)]
    [InlineData("gobgpd -f/run/gobgp/gobgpd.toml", true)]
    [InlineData("gobgpd -f /tmp/other/gobgpd.toml", false)]
    [InlineData("gobgp -f /run/gobgp/gobgpd.toml", false)]
    [InlineData("vi /run/gobgp/gobgpd.toml", false)]
    [InlineData("gobgpd -f", false)]
    public void The_gobgpd_to_signal_is_the_one_reading_the_config_file(string commandLine, bool reads) =>
        GoBgpdCommandLine.Reads(commandLine.Split(' '), "/run/gobgp/gobgpd.toml").Should().Be(reads);
}
