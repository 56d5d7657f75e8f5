using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.Routing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Announcer.Tests.Frr;

/// <summary>Reading Beacon's part of FRR's running config and planning the vtysh commands that converge it.</summary>
public sealed class FrrPlanTests
{
    private const string Running = """
        Building configuration...

        Current configuration:
        !
        frr version 8.4.4
        frr defaults traditional
        hostname node1
        !
        router bgp 65010
         bgp router-id 198.18.0.11
         neighbor 198.18.0.1 remote-as 65000
         !
         address-family ipv4 unicast
          network 198.19.10.5/32 route-map BEACON-1a2b3c4d
          network 198.19.99.0/24
          network 198.19.98.0/24 route-map OPERATOR
         exit-address-family
         !
         address-family ipv6 unicast
          network fd00:beac:ff::5/128 route-map BEACON-1a2b3c4d
         exit-address-family
        exit
        !
        router bgp 65099 vrf blue
         address-family ipv4 unicast
          network 198.19.97.0/24 route-map BEACON-1a2b3c4d
         exit-address-family
        exit
        !
        route-map BEACON-1a2b3c4d permit 10
         set community 65000:100
        exit
        !
        route-map OPERATOR permit 10
        exit
        !
        end
        """;

    [Fact]
    public void Only_networks_and_route_maps_with_the_Beacon_prefix_in_the_default_VRF_are_ours()
    {
        var state = FrrRunningConfig.Parse(Running, "BEACON", null);

        state.BgpAsns.Should().Equal(65010L);
        state.Networks.Keys.Select(k => k.ToString()).Should().BeEquivalentTo("198.19.10.5/32", "fd00:beac:ff::5/128");
        state.RouteMaps.Should().Equal("BEACON-1a2b3c4d");
    }

    [Fact]
    public void The_plan_adds_missing_networks_removes_stale_ones_and_drops_unused_route_maps()
    {
        var state = FrrRunningConfig.Parse(Running, "BEACON", null);
        var routes = RoutePlanner.Plan(Desired.Of(Desired.Routed("a/new", "198.19.10.7")), false);
        var map = FrrRouteMaps.NameOf(BgpAttributes.None, "BEACON");

        var plan = FrrCommandPlan.Build(state, routes, 65010, "BEACON");

        plan.Commands.Should().Equal(
            "configure terminal",
            $"route-map {map} permit 10",
            "exit",
            "router bgp 65010",
            "address-family ipv4 unicast",
            "no network 198.19.10.5/32 route-map BEACON-1a2b3c4d",
            $"network 198.19.10.7/32 route-map {map}",
            "exit-address-family",
            "address-family ipv6 unicast",
            "no network fd00:beac:ff::5/128 route-map BEACON-1a2b3c4d",
            "exit-address-family",
            "exit",
            "no route-map BEACON-1a2b3c4d",
            "end");
        plan.Changes.Should().Be(3);
    }

    [Fact]
    public void Route_maps_carry_the_attributes_and_are_named_by_them()
    {
        FrrRouteMaps.SetStatements(Desired.Communities).Should().Equal(
            "set community 65000:100", "set large-community 65000:1:2", "set local-preference 200");
        FrrRouteMaps.NameOf(Desired.Communities, "BEACON").Should().NotBe(FrrRouteMaps.NameOf(BgpAttributes.None, "BEACON"))
            .And.Be(FrrRouteMaps.NameOf(new BgpAttributes(["65000:100"], ["65000:1:2"], 200), "BEACON"))
            .And.MatchRegex("^BEACON-[0-9a-f]{8}$");
    }

    [Property]
    public Property A_config_that_already_holds_the_desired_routes_needs_no_commands()
    {
        var address = Gen.Elements("198.19.10.5", "198.19.10.6", "198.19.11.9", "fd00:beac:ff::5");
        var entry = address.SelectMany(a => Gen.Elements(BgpAttributes.None, Desired.Communities).Select(attrs => Desired.Routed("ns/" + a, a, null, attrs)));
        return Prop.ForAll(
            entry.ListOf().ToArbitrary(),
            list =>
            {
                var routes = RoutePlanner.Plan(Desired.Of([.. list]), false);
                var state = new FrrBeaconState(
                    [65010],
                    routes.ToDictionary(r => r.Prefix, r => FrrRouteMaps.NameOf(r.Attributes, "BEACON")),
                    routes.Select(r => FrrRouteMaps.NameOf(r.Attributes, "BEACON")).ToHashSet(StringComparer.Ordinal));
                FrrCommandPlan.Build(state, routes, 65010, "BEACON").Commands.Should().BeEmpty();
                FrrCommandPlan.IsConverged(state, routes, "BEACON").Should().BeTrue();
            });
    }

    [Fact]
    public void Changed_attributes_move_the_network_to_the_new_route_map()
    {
        var routes = RoutePlanner.Plan(Desired.Of(Desired.Routed("a/web", "198.19.10.5", attributes: Desired.Communities)), false);
        var state = new FrrBeaconState([65010], new Dictionary<IPNetwork, string> { [IPNetwork.Parse("198.19.10.5/32")] = "BEACON-00000000" }, new HashSet<string> { "BEACON-00000000" });
        var map = FrrRouteMaps.NameOf(Desired.Communities, "BEACON");

        var plan = FrrCommandPlan.Build(state, routes, 65010, "BEACON");

        plan.Commands.Should().ContainInOrder("no network 198.19.10.5/32 route-map BEACON-00000000", $"network 198.19.10.5/32 route-map {map}", "no route-map BEACON-00000000");
        plan.Changes.Should().Be(1);
    }
}
