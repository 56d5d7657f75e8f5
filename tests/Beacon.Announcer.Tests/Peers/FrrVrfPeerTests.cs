using System.Text;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.Peers;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>
/// A resource peer with a <c>vrf</c> in the frr mode: its own <c>router bgp ASN vrf NAME</c> (as MetalLB's FRR mode),
/// with its neighbour lines, outbound route-map and a network for each route advertised to it; the default instance
/// untouched; converged once FRR holds it; removed with its last peer unless the operator has lines there too.
/// </summary>
public sealed class FrrVrfPeerTests
{
    private static readonly FrrPeerState Empty = new(new Dictionary<string, string>(), new HashSet<string>());
    private static readonly ResourcePeer Red = new(Full with { Vrf = "red" }, "s3cret");
    private static readonly ResourcePeer Plain = new(Peer("plain", "198.18.0.1"), null);

    private static IReadOnlyList<PeerRoutes> Routes(params ResourcePeer[] peers) => PeerPlanner.Plan(new AnnouncementSet(
        [
            Desired.Routed("default/web", "198.19.10.5") with { ToPeers = [new PeerAdvertisement(Red.Name, BgpAttributes.None)] },
            Desired.Routed("default/db", "198.19.10.6") with { ToPeers = [new PeerAdvertisement(Plain.Name, BgpAttributes.None)] },
        ], peers), includeLocalOwners: false);

    [Fact]
    public void A_peer_in_a_vrf_gets_its_own_router_bgp_with_every_field_its_outbound_map_and_only_its_routes_as_networks()
    {
        var plan = FrrPeerPlan.Build(Empty, Routes(Red, Plain), 65020, "BEACON");
        var map = FrrPeerPlan.VrfNetworkMap("BEACON");
        var vrf = plan.Commands.SkipWhile(c => c != "router bgp 65020 vrf red").TakeWhile(c => c != "exit").ToList();
        var export = vrf.Single(c => c.EndsWith(" out", StringComparison.Ordinal)).Split(' ')[3];

        plan.Warnings.Should().BeEmpty();
        vrf.Should().Equal(
            "router bgp 65020 vrf red",
            "no bgp ebgp-requires-policy",
            "no bgp network import-check",
            "neighbor 198.18.0.1 remote-as 65000",
            "neighbor 198.18.0.1 local-as 65010 no-prepend replace-as",
            "neighbor 198.18.0.1 port 1179",
            "neighbor 198.18.0.1 update-source 198.18.0.11",
            "neighbor 198.18.0.1 timers 3 9",
            "neighbor 198.18.0.1 ebgp-multihop",
            "neighbor 198.18.0.1 password s3cret",
            "neighbor 198.18.0.1 bfd profile " + FrrPeerPlan.ProfileName(Fast, "BEACON"),
            vrf[11],
            "address-family ipv4 unicast",
            "neighbor 198.18.0.1 activate",
            $"neighbor 198.18.0.1 route-map {export} out",
            "exit-address-family",
            "address-family ipv4 unicast",
            $"network 198.19.10.5/32 route-map {map}",
            "exit-address-family");
        vrf[11].Should().MatchRegex("^neighbor 198.18.0.1 description BEACON-peer router-a [0-9a-f]{8}$");
        plan.Commands.Should().ContainInOrder([$"route-map {map} permit 10", "router bgp 65020 vrf red"], "the network's map exists before it is used");
        plan.Commands.Should().Contain($"ip prefix-list {export}-10 seq 5 permit 198.19.10.5/32", "the vrf peer is sent only what is advertised to it");
        var defaultInstance = plan.Commands.SkipWhile(c => c != "router bgp 65020").TakeWhile(c => c != "exit").ToList();
        defaultInstance.Should().Contain(c => c.StartsWith("neighbor 198.18.0.1 remote-as", StringComparison.Ordinal), "the same address outside the vrf is another session");
        defaultInstance.Should().NotContain(c => c.StartsWith("network", StringComparison.Ordinal), "default-VRF networks are the route plan's");
    }

    [Fact]
    public void Once_FRR_holds_the_vrf_instance_nothing_is_sent_and_a_route_change_only_touches_networks_and_the_outbound_map()
    {
        var routes = Routes(Red, Plain);
        var running = RunningConfig(FrrPeerPlan.Build(Empty, routes, 65020, "BEACON").Commands);
        var state = FrrPeerState.Parse(running, "BEACON", 65020);

        state.Vrfs.Should().ContainKey("red").WhoseValue.Foreign.Should().BeFalse();
        FrrPeerPlan.Build(state, routes, 65020, "BEACON").Commands.Should().BeEmpty("converged");

        var moved = PeerPlanner.Plan(new AnnouncementSet(
            [Desired.Routed("default/web", "198.19.10.7") with { ToPeers = [new PeerAdvertisement(Red.Name, BgpAttributes.None)] }], [Red, Plain]), includeLocalOwners: false);
        var plan = FrrPeerPlan.Build(state, moved, 65020, "BEACON").Commands;
        var vrf = plan.SkipWhile(c => c != "router bgp 65020 vrf red").TakeWhile(c => c != "exit").ToList();

        vrf.Should().NotContain(c => c.StartsWith("no neighbor", StringComparison.Ordinal) || c.Contains("remote-as", StringComparison.Ordinal), "the session stays up");
        vrf.Should().Contain(["no network 198.19.10.5/32 route-map BEACON-out-vrf", "network 198.19.10.7/32 route-map BEACON-out-vrf"]);
        vrf.Should().Contain(c => c.StartsWith("neighbor 198.18.0.1 route-map BEACON-out-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_last_peer_of_a_vrf_removed_takes_the_instance_with_it_unless_the_operator_has_lines_there()
    {
        var running = RunningConfig(FrrPeerPlan.Build(Empty, Routes(Red), 65020, "BEACON").Commands);

        var plan = FrrPeerPlan.Build(FrrPeerState.Parse(running, "BEACON", 65020), Routes(), 65020, "BEACON");

        plan.Commands.Should().Contain("no router bgp 65020 vrf red").And.Contain("no route-map BEACON-out-vrf");
        plan.Changes.Should().Be(1);

        var shared = running.Replace(" no bgp network import-check\n", " no bgp network import-check\n neighbor 203.0.113.9 remote-as 65009\n", StringComparison.Ordinal);
        var kept = FrrPeerPlan.Build(FrrPeerState.Parse(shared, "BEACON", 65020), Routes(), 65020, "BEACON").Commands;

        kept.Should().NotContain("no router bgp 65020 vrf red");
        kept.Should().ContainInOrder("router bgp 65020 vrf red", "no neighbor 198.18.0.1", "address-family ipv4 unicast",
            "no network 198.19.10.5/32 route-map BEACON-out-vrf", "exit-address-family", "exit");
        kept.Should().NotContain(c => c.Contains("203.0.113.9", StringComparison.Ordinal));
    }

    [Fact]
    public void A_vrf_instance_of_another_AS_or_without_Beacon_lines_is_not_Beacons()
    {
        const string running = """
            router bgp 65020 vrf blue
             neighbor 203.0.113.9 remote-as 65009
            exit
            router bgp 65099 vrf red
             neighbor 198.18.0.1 description BEACON-peer x 00000000
            exit
            """;

        FrrPeerState.Parse(running, "BEACON", 65020).Vrfs.Should().BeEmpty();
        FrrPeerPlan.Build(FrrPeerState.Parse(running, "BEACON", 65020), Routes(), 65020, "BEACON").Commands.Should().BeEmpty();
    }

    [Fact]
    public void FRRs_own_rendering_of_a_vrf_instance_is_read_as_Beacons()
    {
        // FRR 8.4.4's show running-config after the plan's commands were applied to it through vtysh (bgpd in a namespace).
        const string running = """
            router bgp 65020
             no bgp ebgp-requires-policy
            exit
            !
            router bgp 65020 vrf red
             no bgp ebgp-requires-policy
             no bgp network import-check
             neighbor 198.18.0.1 remote-as 65000
             neighbor 198.18.0.1 local-as 65010 no-prepend replace-as
             neighbor 198.18.0.1 description BEACON-peer router-a 0a1b2c3d
             neighbor 198.18.0.1 password s3cret
             neighbor 198.18.0.1 port 1179
             neighbor 198.18.0.1 ebgp-multihop 255
             neighbor 198.18.0.1 update-source 198.18.0.11
             neighbor 198.18.0.1 timers 3 9
             !
             address-family ipv4 unicast
              network 198.19.10.5/32 route-map BEACON-out-vrf
              neighbor 198.18.0.1 route-map BEACON-out-1234abcd out
             exit-address-family
            exit
            !
            route-map BEACON-out-vrf permit 10
            exit
            """;

        var state = FrrPeerState.Parse(running, "BEACON", 65020);

        state.Neighbors.Should().BeEmpty("the default instance has no Beacon neighbour");
        var red = state.Vrfs.Should().ContainKey("red").WhoseValue;
        red.Neighbors.Should().Equal(new Dictionary<string, string> { ["198.18.0.1"] = "0a1b2c3d" });
        red.Bindings.Should().Equal(new Dictionary<string, string> { ["198.18.0.1"] = "BEACON-out-1234abcd" });
        red.Networks.Should().Equal(new Dictionary<string, string> { ["198.19.10.5/32"] = "ipv4" });
        red.Foreign.Should().BeFalse();
        state.RouteMaps.Should().Contain("BEACON-out-vrf");
    }

    /// <summary>The commands as FRR's <c>show running-config</c> renders them: blocks indented once, address families twice.</summary>
    internal static string RunningConfig(IEnumerable<string> commands)
    {
        var text = new StringBuilder();
        var depth = 0;
        foreach (var command in commands)
        {
            if (command == "exit-address-family")
            {
                text.Append(' ').Append(command).Append('\n');
                depth = 1;
            }
            else if (command == "exit")
            {
                depth = Math.Max(0, depth - 1);
                text.Append(new string(' ', depth)).Append(command).Append('\n');
            }
            else
            {
                text.Append(new string(' ', depth)).Append(command).Append('\n');
                if (command.StartsWith("router ", StringComparison.Ordinal) || command.StartsWith("route-map ", StringComparison.Ordinal)
                    || command == "bfd" || command.StartsWith("profile ", StringComparison.Ordinal) || command.StartsWith("address-family ", StringComparison.Ordinal))
                {
                    depth++;
                }
            }
        }

        return text.ToString();
    }
}
