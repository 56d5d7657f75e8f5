using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.Peers;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Resource peers as FRR neighbours and BFD profiles: every field, unchanged/changed/removed, the operator's left alone.</summary>
public sealed class FrrPeerPlanTests
{
    private static readonly FrrPeerState Empty = new(new Dictionary<string, string>(), new HashSet<string>());

    [Fact]
    public void Every_field_becomes_a_neighbor_command_with_a_BFD_profile_and_a_tagged_description()
    {
        var peer = Full with { Vrf = null };
        var plan = FrrPeerPlan.Build(Empty, [new ResourcePeer(peer, "s3cret")], 65020, "BEACON");
        var profile = FrrPeerPlan.ProfileName(Fast, "BEACON");
        var export = FrrPeerExport.For(new PeerRoutes(new ResourcePeer(peer, "s3cret"), []), "BEACON").RouteMap;

        profile.Should().StartWith("BEACON-bfd-fast-");
        plan.Commands.Should().Equal(
            "bfd",
            "profile " + profile, "receive-interval 100", "transmit-interval 200", "detect-multiplier 3", "passive-mode", "exit",
            "exit",
            $"route-map {export} deny 65535", "exit",
            "router bgp 65020",
            "neighbor 198.18.0.1 remote-as 65000",
            "neighbor 198.18.0.1 local-as 65010 no-prepend replace-as",
            "neighbor 198.18.0.1 port 1179",
            "neighbor 198.18.0.1 update-source 198.18.0.11",
            "neighbor 198.18.0.1 timers 3 9",
            "neighbor 198.18.0.1 ebgp-multihop",
            "neighbor 198.18.0.1 password s3cret",
            "neighbor 198.18.0.1 bfd profile " + profile,
            plan.Commands[19],
            "address-family ipv4 unicast",
            "neighbor 198.18.0.1 activate",
            $"neighbor 198.18.0.1 route-map {export} out",
            "exit-address-family",
            "exit");
        plan.Commands[19].Should().MatchRegex("^neighbor 198.18.0.1 description BEACON-peer router-a [0-9a-f]{8}$");
        plan.Changes.Should().Be(1);
    }

    [Fact]
    public void What_FRR_already_has_is_left_alone_a_changed_peer_is_replaced_a_removed_one_deleted_and_the_operators_untouched()
    {
        var same = new ResourcePeer(Peer("same"), null);
        var rendered = FrrPeerPlan.Build(Empty, [same], 65010, "BEACON").Commands.Single(c => c.Contains("description", StringComparison.Ordinal));
        var running = $"""
            router bgp 65010
             neighbor 198.18.0.1 remote-as 65000
             {rendered}
             neighbor 198.18.0.2 remote-as 65000
             neighbor 198.18.0.2 description BEACON-peer changed 00000000
             neighbor 198.18.0.3 remote-as 65000
             neighbor 198.18.0.3 description BEACON-peer gone 11111111
             neighbor 198.18.0.9 remote-as 65009
             neighbor 198.18.0.9 description the operator's own
            exit
            bfd
             profile BEACON-bfd-old-22222222
             exit
             profile mine
             exit
            exit
            """;
        // Both Beacon neighbours already have the (deny-all: no routes here) outbound map they want.
        var export = FrrPeerExport.For(new PeerRoutes(same, []), "BEACON").RouteMap;
        var state = FrrPeerState.Parse(running, "BEACON", 65010) with
        {
            ExportRouteMaps = new HashSet<string> { export },
            ExportBindings = new Dictionary<string, string> { ["198.18.0.1"] = export, ["198.18.0.2"] = export },
        };

        state.Neighbors.Keys.Should().BeEquivalentTo("198.18.0.1", "198.18.0.2", "198.18.0.3");
        state.BfdProfiles.Should().Equal("BEACON-bfd-old-22222222");
        var plan = FrrPeerPlan.Build(state, [same, new ResourcePeer(Peer("changed", "198.18.0.2"), null)], 65010, "BEACON");

        plan.Commands.Should().StartWith(["router bgp 65010", "no neighbor 198.18.0.2", "no neighbor 198.18.0.3", "neighbor 198.18.0.2 remote-as 65000"]);
        plan.Commands.Should().NotContain(c => c.Contains("198.18.0.1", StringComparison.Ordinal) || c.Contains("198.18.0.9", StringComparison.Ordinal));
        plan.Commands.Should().EndWith(["exit", "bfd", "no profile BEACON-bfd-old-22222222", "exit"]);
        FrrPeerPlan.Build(state with { Neighbors = new Dictionary<string, string> { ["198.18.0.1"] = state.Neighbors["198.18.0.1"] }, BfdProfiles = new HashSet<string>() },
            [same], 65010, "BEACON").Commands.Should().BeEmpty("converged");
    }
}
