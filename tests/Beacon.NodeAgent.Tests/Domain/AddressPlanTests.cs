using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class AddressPlanTests
{
    private static readonly string[] Three = ["node1", "node2", "node3"];

    private static LocalNode Self(string name, bool selected = true) => new(name, "eth0", "kube-lb0", selected);

    private static MembershipView View(params string[] names) => new(names.Select(n => Node(n)));

    private static AddressPlan Plan(IEnumerable<AllocationChanged> services, MembershipView view, LocalNode self) =>
        AddressPlan.For(AddressDemand.From(services), view, self);

    [Fact]
    public void Exactly_one_node_owns_each_local_address_and_it_goes_on_the_local_interface_with_its_prefix()
    {
        var services = new[] { Service("web", addresses: [Local("198.18.0.100"), Local("fd00:beac::100")]) };
        var view = View(Three);

        var plans = Three.Select(n => Plan(services, view, Self(n))).ToList();
        var owned = plans.SelectMany(p => p.Addresses).ToList();

        owned.Select(a => a.Plumbing.Address.ToString()).Should().BeEquivalentTo(["198.18.0.100", "fd00:beac::100"]);
        owned.Should().OnlyContain(a => a.Role == AnnouncementRole.Owner && a.Plumbing.Interface == "eth0");
        owned.Single(a => a.Plumbing.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).Plumbing.PrefixLength.Should().Be(32);
        owned.Single(a => a.Plumbing.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6).Plumbing.PrefixLength.Should().Be(128);
        plans.Should().AllSatisfy(p => p.Owners.Should().HaveCount(2));
    }

    [Fact]
    public void Remote_addresses_go_on_the_dummy_interface_of_every_selected_node()
    {
        var services = new[] { Service("bgp", addresses: [Remote("203.0.113.7")]) };
        var view = View(Three);

        Plan(services, view, Self("node1")).Addresses.Should().ContainSingle()
            .Which.Should().Match<PlannedAddress>(a => a.Plumbing.Interface == "kube-lb0" && a.Role == AnnouncementRole.Member && a.Plumbing.PrefixLength == 32);
        Plan(services, view, Self("node2")).Addresses.Should().ContainSingle();
        Plan(services, view, Self("node3", selected: false)).Addresses.Should().BeEmpty("the LBNodeAgent selector does not select node3");
    }

    [Fact]
    public void Under_local_policy_only_nodes_with_ready_endpoints_carry_addresses()
    {
        var services = new[]
        {
            Service("local-remote", TrafficPolicy.Local, ["node2"], Remote("203.0.113.8")),
            Service("local-lan", TrafficPolicy.Local, ["node3"], Local("198.18.0.101")),
        };
        var view = View(Three);

        Plan(services, view, Self("node1")).Addresses.Should().BeEmpty();
        Plan(services, view, Self("node2")).Addresses.Should().ContainSingle().Which.Plumbing.Interface.Should().Be("kube-lb0");
        Plan(services, view, Self("node3")).Addresses.Should().ContainSingle().Which.Plumbing.Address.Should().Be(IPAddress.Parse("198.18.0.101"));
    }

    [Fact]
    public void Endpoints_moving_move_a_local_policy_address()
    {
        var view = View(Three);
        var before = Plan([Service("s", TrafficPolicy.Local, ["node1"], Local("198.18.0.102"))], view, Self("node1"));
        var after = Plan([Service("s", TrafficPolicy.Local, ["node2"], Local("198.18.0.102"))], view, Self("node1"));

        before.Addresses.Should().ContainSingle();
        after.Addresses.Should().BeEmpty();
        after.Owners[IPAddress.Parse("198.18.0.102")].Should().Be("node2");
    }

    [Fact]
    public void A_shared_address_is_plumbed_once_for_all_its_services_and_local_policy_needs_endpoints_for_each()
    {
        var services = new[]
        {
            Service("a", TrafficPolicy.Local, ["node1", "node2"], Local("198.18.0.103")),
            Service("b", TrafficPolicy.Local, ["node2", "node3"], Local("198.18.0.103")),
            Service("c", TrafficPolicy.Cluster, [], Local("198.18.0.103")),
        };

        var demand = AddressDemand.From(services).Should().ContainSingle().Subject;
        demand.Services.Select(s => s.Name).Should().Equal("a", "b", "c");
        demand.ReadyNodesUnderLocal.Should().BeEquivalentTo(["node2"]);
        Plan(services, View(Three), Self("node2")).Addresses.Should().ContainSingle();
    }

    [Fact]
    public void An_address_outside_every_node_subnet_marked_local_has_no_owner()
    {
        var plan = Plan([Service("x", addresses: Local("10.99.0.1"))], View(Three), Self("node1"));

        plan.Addresses.Should().BeEmpty();
        plan.Owners[IPAddress.Parse("10.99.0.1")].Should().BeNull();
    }

    [Fact]
    public void Garbage_addresses_are_skipped_without_losing_the_rest()
    {
        var services = new[] { Service("x", addresses: [Local("not-an-ip"), Local("198.18.0.104") with { PrefixLength = 40 }, Local("198.18.0.105")]) };

        AddressDemand.From(services).Select(d => d.Address.ToString()).Should().Equal("198.18.0.105");
    }

    [Property]
    public Property Across_all_nodes_every_local_address_has_exactly_one_holder_and_remote_ones_one_per_eligible_node()
    {
        var gen =
            from count in Gen.Choose(1, 30)
            from indexes in Gen.ArrayOf(Gen.Choose(0, 249), count)
            from policies in Gen.ArrayOf(Gen.Elements(TrafficPolicy.Cluster, TrafficPolicy.Local), count)
            from readyMasks in Gen.ArrayOf(Gen.Choose(0, 7), count)
            from remote in Gen.ArrayOf(Gen.Elements(true, false), count)
            select (indexes, policies, readyMasks, remote);
        return Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var services = input.indexes.Select((ix, i) => Service(
                $"s{i}", input.policies[i], [.. Three.Where((_, n) => (input.readyMasks[i] & (1 << n)) != 0)],
                input.remote[i] ? Remote($"203.0.113.{ix}") : Local($"198.18.0.{ix + 2}"))).ToList();
            var demands = AddressDemand.From(services);
            var view = View(Three);
            var holders = Three.SelectMany(n => AddressPlan.For(demands, view, Self(n)).Addresses.Select(a => (Node: n, a.Plumbing.Address))).ToList();
            return demands.All(d =>
            {
                var held = holders.Where(h => h.Address.Equals(d.Address)).Select(h => h.Node).ToList();
                var eligible = Three.Where(d.Allows).ToList();
                return d.Placement == AddressPlacement.Local
                    ? held.Count == (eligible.Count > 0 ? 1 : 0) && held.All(d.Allows)
                    : held.Order(StringComparer.Ordinal).SequenceEqual(eligible);
            });
        });
    }
}
