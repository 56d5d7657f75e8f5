using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.Desired;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// MetalLB's L2Advertisement nodeSelectors and interfaces (seed 002: only test-1 announces, on eth0), honoured in the
/// election: only selected nodes on a listed interface may own a layer-2 address.
/// </summary>
public sealed class Layer2EligibilityTests
{
    private static readonly string[] Three = ["node1", "node2", "node3"];

    private static NodeReport Labelled(string name, string iface = "eth0") =>
        new(name, iface, [NodeReports.Lan4, NodeReports.Lan6], true, true, "start-" + name,
            new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["zone"] = name == "node3" ? "b" : "a" });

    private static NodeSelector HostName(string name) => new(new Dictionary<string, string> { ["kubernetes.io/hostname"] = name }, []);

    private static AllocationChanged Announced(string name, IReadOnlyList<Layer2Announcement> layer2, params AllocatedAddress[] addresses) =>
        Service(name, addresses: addresses) with { Announce = new AnnouncementPolicy(true, layer2, []) };

    private static IReadOnlyDictionary<IPAddress, string?> Owners(MembershipView view, params AllocationChanged[] services) =>
        AddressPlan.For(AddressDemand.From(services), view, new LocalNode("node1", "eth0", "kube-lb0", true)).Owners;

    [Fact]
    public void The_seeds_node_selector_makes_the_selected_node_own_every_address_of_the_pool()
    {
        var view = new MembershipView(Three.Select(n => Labelled(n)));
        var layer2 = new[] { new Layer2Announcement("L2Advertisement metallb-system/example", [HostName("node1")], ["eth0"]) };
        var services = Enumerable.Range(0, 20).Select(i => Announced("s" + i, layer2, Local($"198.18.0.{100 + i}"))).ToArray();

        Owners(view, services).Values.Should().OnlyContain(owner => owner == "node1");
    }

    [Fact]
    public void An_interface_no_node_announces_on_leaves_the_address_without_owner()
    {
        var view = new MembershipView(Three.Select(n => Labelled(n)));
        var layer2 = new[] { new Layer2Announcement("L2Advertisement metallb-system/example", [], ["eth1"]) };

        Owners(view, Announced("web", layer2, Local("198.18.0.100"))).Values.Should().Equal([null]);
    }

    [Fact]
    public void Any_of_several_advertisements_may_select_a_node()
    {
        var view = new MembershipView(Three.Select(n => Labelled(n)));
        var layer2 = new[]
        {
            new Layer2Announcement("a", [HostName("node2")], ["eth1"]),
            new Layer2Announcement("b", [new NodeSelector(new Dictionary<string, string>(), [new NodeSelectorRequirement("zone", "In", ["b"])])], []),
        };
        var services = Enumerable.Range(0, 10).Select(i => Announced("s" + i, layer2, Local($"198.18.0.{100 + i}"))).ToArray();

        Owners(view, services).Values.Should().OnlyContain(owner => owner == "node3", "advertisement a needs eth1, which node2 does not announce on");
    }

    [Fact]
    public void A_node_counts_its_own_labels_when_it_elects_itself()
    {
        // The view a node plans with holds its own report (not a heartbeat from the bus): it must carry the labels too.
        var labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node1" };
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true, labels), TimeSpan.FromSeconds(1), 3, "start-node1");
        state.SelfReport(TimeSpan.Zero).NodeLabels.Should().Contain("kubernetes.io/hostname", "node1");
    }

    [Theory]
    [InlineData("In", new[] { "a" }, true)]
    [InlineData("In", new[] { "b" }, false)]
    [InlineData("NotIn", new[] { "b" }, true)]
    [InlineData("NotIn", new[] { "a" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    [InlineData("Gt", new[] { "1" }, false)]
    public void Expressions_follow_kubernetes_label_selector_semantics(string op, string[] values, bool selected)
    {
        var selector = new NodeSelector(new Dictionary<string, string>(), [new NodeSelectorRequirement("zone", op, values)]);
        Layer2Eligibility.Matches(selector, Labelled("node1").NodeLabels).Should().Be(selected);
    }

    [Fact]
    public void Without_advertisements_every_node_stays_eligible()
    {
        Layer2Eligibility.Allows(null, Labelled("node2")).Should().BeTrue();
        Layer2Eligibility.Allows([], Labelled("node2")).Should().BeTrue();
    }

    [Property]
    public Property Every_agent_agrees_on_the_owner_and_the_owner_is_always_selected()
    {
        var selectors = Gen.SubListOf(Three).Select(names => names.Select(HostName).ToList());
        return Prop.ForAll(selectors.ToArbitrary(), Gen.Choose(0, 200).ToArbitrary(), (chosen, host) =>
        {
            var view = new MembershipView(Three.Select(n => Labelled(n)));
            var layer2 = new[] { new Layer2Announcement("x", chosen, []) };
            var service = Announced("web", layer2, Local($"198.18.0.{host + 2}"));
            var owners = Three.Select(self => AddressPlan.For(AddressDemand.From([service]), view, new LocalNode(self, "eth0", "kube-lb0", true)).Owners.Values.Single()).ToList();
            var allowed = chosen.Count == 0 ? Three : chosen.Select(s => s.MatchLabels["kubernetes.io/hostname"]).ToArray();
            return owners.Distinct().Count() == 1 && owners[0] is { } owner && allowed.Contains(owner);
        });
    }
}
