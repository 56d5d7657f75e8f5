using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Service;
using Beacon.Contracts;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>
/// Sessions from the cluster's own set of peers (beacon.v1.bgp.peers): every peer selecting the node is a session
/// without any Service, a deleted one goes even while a stale allocation still names it, and Services' advertisements
/// still decide which session carries which route.
/// </summary>
public sealed class ClusterPeerSessionsTests
{
    private static readonly Dictionary<string, string> ZoneA = new() { ["zone"] = "a" };

    [Fact]
    public void Every_cluster_peer_selecting_this_node_is_a_session_without_any_Service()
    {
        var set = BuildWith([Peer("a"), Peer("b", "198.18.0.2", selectors: Zone("b")), Peer("c", "198.18.0.3", selectors: Zone("a"))], HeldAddresses.Empty);

        set.Peers.Select(p => p.Name).Should().Equal("a", "c");
        set.Addresses.Should().BeEmpty();
    }

    [Fact]
    public void An_empty_cluster_set_means_no_session_even_when_a_stale_allocation_still_names_a_peer()
    {
        var set = BuildWith([], Held("198.19.10.5"), Allocation("198.19.10.5", Advertisement([Peer("gone")])));

        set.Peers.Should().BeEmpty("the peer was deleted: the Allocator's set no longer has it");
        set.Addresses.Should().ContainSingle().Which.Advertisements.Should().BeEmpty("no session carries a route to a deleted peer");
    }

    [Fact]
    public void The_cluster_sets_configuration_of_a_peer_wins_over_an_older_copy_inside_an_allocation()
    {
        var changed = Peer("a") with { HoldTime = "9s" };
        var set = BuildWith([changed], Held("198.19.10.5"), Allocation("198.19.10.5", Advertisement([Peer("a")], ["65000:7"])));

        set.Peers.Should().ContainSingle().Which.Config.HoldTime.Should().Be("9s");
        set.Addresses.Single().Advertisements.Should().ContainSingle().Which.Should().Be(new PeerAdvertisement("a", new BgpAttributes(["65000:7"], [], null)));
    }

    [Fact]
    public void Advertisements_still_restrict_which_session_gets_a_Services_route()
    {
        var set = BuildWith([Peer("a"), Peer("b", "198.18.0.2")], Held("198.19.10.5"), Allocation("198.19.10.5", Advertisement([Peer("b", "198.18.0.2")])));

        set.Peers.Select(p => p.Name).Should().Equal("a", "b");
        set.Addresses.Single().Advertisements.Select(p => p.Peer).Should().Equal("b");
        PeerPlanner.Plan(set, includeLocalOwners: false).Select(p => (p.Peer.Name, p.Routes.Count)).Should().Equal(("a", 0), ("b", 1));
    }

    [Fact]
    public void While_the_cluster_set_is_unknown_the_advertisements_peers_are_the_sessions_as_before()
    {
        var set = AnnouncementSetBuilder.Build(
            HeldAddresses.Empty,
            new Dictionary<ServiceKey, AllocationChanged> { [Web] = Allocation("198.19.10.5", Advertisement([Peer("a")])) },
            BgpAttributes.None,
            new PeerContext(ZoneA, new FixedPasswords()),
            clusterPeers: null);

        set.Peers.Select(p => p.Name).Should().Equal("a");
    }

    [Fact]
    public void A_cluster_peer_that_needs_a_missing_password_is_reported_not_configured_without_one()
    {
        var set = BuildWith([Peer("secret", secret: "metallb-system/pass")], HeldAddresses.Empty);

        set.Peers.Should().BeEmpty();
        set.Problems.Should().ContainSingle().Which.Should().Contain("secret");
    }

    [Fact]
    public void Without_any_Service_a_cluster_peer_becomes_a_bird_protocol_an_frr_neighbour_and_a_gobgp_neighbour()
    {
        var set = BuildWith([Peer("a")], HeldAddresses.Empty);

        var bird = Modes.Bird.BirdPeerRenderer.Render(PeerPlanner.Plan(set, includeLocalOwners: false), "beacon", bfdProtocol: true);
        bird.Should().Contain("protocol bgp").And.Contain("neighbor 198.18.0.1");
        FrrPeerPlan.Build(new FrrPeerState(new Dictionary<string, string>(), new HashSet<string>()), set.Peers, 65020, "BEACON").Commands
            .Should().Contain("neighbor 198.18.0.1 remote-as 65000");
        GoBgpConfigFile.Render("", GoBgpPeerPlan.Build(set.Peers, new HashSet<string>(StringComparer.Ordinal)).Peers, TimeSpan.FromSeconds(120))
            .Should().Contain("neighbor-address = \"198.18.0.1\"\n    peer-as = 65000\n    local-as = 65010\n");
    }

    private static AnnouncementSet BuildWith(IReadOnlyList<BgpPeerConfig> cluster, HeldAddresses held, params AllocationChanged[] allocations) =>
        AnnouncementSetBuilder.Build(
            held,
            allocations.ToDictionary(a => a.Service),
            BgpAttributes.None,
            new PeerContext(ZoneA, new FixedPasswords()),
            cluster);
}
