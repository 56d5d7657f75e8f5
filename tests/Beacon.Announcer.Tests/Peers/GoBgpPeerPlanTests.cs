using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Peers;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Resource peers as gobgp neighbours: what the CLI can set, what it cannot (reported), and removal of only our own.</summary>
public sealed class GoBgpPeerPlanTests
{
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    private static IEnumerable<string> Lines(GoBgpPeerPlan plan) => plan.Commands.Select(c => string.Join(' ', c));

    [Fact]
    public void A_new_peer_is_added_with_its_AS_numbers_family_vrf_and_multihop()
    {
        var peer = Peer("a") with { Vrf = "red", EbgpMultiHop = true };
        var v6 = Peer("b", "fd00:beac::1");

        var plan = GoBgpPeerPlan.Build([], [new ResourcePeer(peer, null), new ResourcePeer(v6, null)], None);

        Lines(plan).Should().Equal(
            "neighbor add 198.18.0.1 as 65000 local-as 65010 family ipv4-unicast vrf red ebgp-multihop-ttl 255",
            "neighbor add fd00:beac::1 as 65000 local-as 65010 family ipv6-unicast");
        plan.Warnings.Should().BeEmpty();
        plan.Owned.Should().BeEquivalentTo("198.18.0.1", "fd00:beac::1");
    }

    [Fact]
    public void An_unchanged_peer_is_left_alone_a_changed_one_is_replaced_and_a_removed_one_deleted_but_never_the_operators()
    {
        var current = new[]
        {
            new GoBgpNeighbor("198.18.0.1", 65000, 65010, "", 0),
            new GoBgpNeighbor("198.18.0.2", 65000, 65010, "", 0),
            new GoBgpNeighbor("198.18.0.3", 65000, 65010, "", 0),
            new GoBgpNeighbor("198.18.0.9", 65009, 65010, "", 0),
        };
        var owned = new HashSet<string>(["198.18.0.1", "198.18.0.2", "198.18.0.3"], StringComparer.Ordinal);

        var plan = GoBgpPeerPlan.Build(current, [new ResourcePeer(Peer("same"), null), new ResourcePeer(Peer("changed", "198.18.0.2", peerAsn: 65001), null)], owned);

        Lines(plan).Should().Equal(
            "neighbor del 198.18.0.3",
            "neighbor del 198.18.0.2",
            "neighbor add 198.18.0.2 as 65001 local-as 65010 family ipv4-unicast");
    }

    [Fact]
    public void BFD_timers_port_and_source_cannot_be_set_by_the_CLI_and_are_reported_and_a_password_keeps_the_peer_out()
    {
        var plan = GoBgpPeerPlan.Build([], [new ResourcePeer(Full, null), new ResourcePeer(Peer("secret", "198.18.0.5", secret: "s"), "pw")], None);

        Lines(plan).Should().ContainSingle().Which.Should().StartWith("neighbor add 198.18.0.1 ");
        plan.Warnings.Should().HaveCount(2);
        plan.Warnings.Should().Contain(w => w.Contains("gobgpd has no BFD", StringComparison.Ordinal) && w.Contains("peerPort", StringComparison.Ordinal)
            && w.Contains("sourceAddress", StringComparison.Ordinal) && w.Contains("holdTime", StringComparison.Ordinal));
        plan.Warnings.Should().Contain(w => w.Contains("'secret' has a password", StringComparison.Ordinal) && w.Contains("not configured", StringComparison.Ordinal));
    }

    [Fact]
    public void Neighbours_are_read_from_the_CLIs_JSON()
    {
        const string json = """
            [{"conf":{"neighbor_address":"198.18.0.1","peer_asn":65000,"local_asn":65010},"ebgp_multihop":{"enabled":true,"multihop_ttl":255},"state":{}},
             {"conf":{"neighbor_address":"fd00:beac::1","peer_asn":65001,"vrf":"red"}},
             {"conf":{"neighbor_interface":"eth1"}}]
            """;

        GoBgpNeighbors.Parse(json).Should().Equal(
            new GoBgpNeighbor("198.18.0.1", 65000, 65010, "", 255),
            new GoBgpNeighbor("fd00:beac::1", 65001, 0, "red", 0));
        GoBgpNeighbors.Parse("").Should().BeEmpty();
    }
}
