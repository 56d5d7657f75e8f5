using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// PureLB's <c>interfaces[]</c>: an address of a subnet on a further interface is elected among the nodes that have
/// that subnet on any of their interfaces, and plumbed (and announced) on the interface that has it.
/// </summary>
public sealed class FurtherInterfacesTests
{
    private static readonly IPNetwork Storage = IPNetwork.Parse("198.19.0.0/24");

    private static LocalLink Link(bool up, params IPNetwork[] subnets) => new(up, up ? "up" : "down", up, subnets);

    /// <summary>A node with the lab LAN on eth0 and, when <paramref name="storage"/>, the storage LAN on eth1.</summary>
    private static NodeReport Node(string name, bool storage)
    {
        var link = LocalLink.Combine(Link(true, Lan4), storage ? [("eth1", Link(true, Storage))] : []);
        return new NodeReport(name, "eth0", link.Subnets, link.Up, true, "start-" + name, null, link.SubnetInterfaces);
    }

    private static AllocatedAddress OnStorage(string address) => new(address, 32, IpFamily.IPv4, AddressPlacement.Local, "storage", "198.19.0.0/24", null);

    [Fact]
    public void A_storage_address_is_won_only_by_a_node_with_the_storage_subnet_and_goes_on_its_eth1()
    {
        var view = new MembershipView([Node("a", storage: false), Node("b", storage: true), Node("c", storage: false)]);
        var demands = AddressDemand.From([Service("db", addresses: [OnStorage("198.19.0.50"), Local("198.18.0.50")])]);

        var plans = new[] { "a", "b", "c" }.ToDictionary(n => n, n => AddressPlan.For(demands, view, new LocalNode(n, "eth0", "kube-lb0", true, null, n == "b" ? ["eth1"] : [])));

        plans["b"].Owners[IPAddress.Parse("198.19.0.50")].Should().Be("b", "only b has 198.19.0.0/24 (on eth1)");
        plans["b"].Addresses.Should().Contain(a => a.Plumbing == new PlumbedAddress(IPAddress.Parse("198.19.0.50"), 32, "eth1"));
        var lanOwner = plans["a"].Owners[IPAddress.Parse("198.18.0.50")]!;
        plans[lanOwner].Addresses.Should().Contain(a => a.Plumbing == new PlumbedAddress(IPAddress.Parse("198.18.0.50"), 32, "eth0"));
    }

    [Fact]
    public void A_layer2_advertisement_naming_eth1_admits_the_node_for_addresses_on_eth1_only()
    {
        var node = Node("b", storage: true);
        var onEth1 = new[] { new Layer2Announcement("test", [], ["eth1"]) };

        Layer2Eligibility.Allows(onEth1, node, node.InterfaceFor(IPAddress.Parse("198.19.0.50"))).Should().BeTrue();
        Layer2Eligibility.Allows(onEth1, node, node.InterfaceFor(IPAddress.Parse("198.18.0.50"))).Should().BeFalse();
    }

    [Fact]
    public void A_further_interface_that_is_down_or_has_no_subnet_adds_nothing_and_a_down_main_interface_keeps_the_others()
    {
        LocalLink.Combine(Link(true, Lan4), [("eth1", Link(false, Storage)), ("eth2", Link(true))]).Should().Match<LocalLink>(l => l.Subnets.SequenceEqual(new[] { Lan4 }) && l.SubnetInterfaces == null);

        var mainDown = LocalLink.Combine(Link(false, Lan4), [("eth1", Link(true, Storage))]);
        mainDown.Up.Should().BeTrue("eth1 still carries traffic");
        mainDown.Subnets.Should().Equal(Storage);
    }

    [Fact]
    public void A_peer_heartbeat_says_which_interface_has_which_subnet_and_a_malformed_entry_is_left_out()
    {
        var state = new AgentState(new LocalNode("me", "eth0", "kube-lb0", true), TimeSpan.FromMilliseconds(100), 3, "start-me");
        state.SetLink(Link(true, Lan4));
        state.BusUp(TimeSpan.Zero);
        var elsewhere = new Dictionary<string, string> { ["198.19.0.0/24"] = "eth1", ["not-a-subnet"] = "eth2", ["198.20.0.0/24"] = new string('x', 40) };

        state.Heard(new NodeHeartbeat("peer", "eth0", ["198.18.0.0/24", "198.19.0.0/24", "198.20.0.0/24"], new LinkState(true, "up", true), new Dictionary<string, string>(),
            true, DateTimeOffset.UnixEpoch, "start-peer", SubnetInterfaces: elsewhere), TimeSpan.Zero);

        var peer = state.View(TimeSpan.Zero).Nodes.Single(n => n.Node == "peer");
        peer.InterfaceFor(IPAddress.Parse("198.19.0.7")).Should().Be("eth1");
        peer.InterfaceFor(IPAddress.Parse("198.20.0.7")).Should().Be("eth0", "an interface name longer than Linux allows is not believed");
        peer.InterfaceFor(IPAddress.Parse("198.18.0.7")).Should().Be("eth0");
    }

    [Property(MaxTest = 300)]
    public Property Every_subnet_of_the_combined_link_is_on_exactly_the_first_interface_listing_it()
    {
        var subnets = Gen.ArrayOf(Gen.Elements(Lan4, Storage, Lan6, IPNetwork.Parse("198.20.0.0/24"))).Select(a => a.Distinct().ToArray());
        var links = Gen.ArrayOf(Gen.Zip(subnets, Gen.Elements(true, false)), 3);
        return Prop.ForAll(Gen.Zip(subnets, links).ToArbitrary(), input =>
        {
            var (mainSubnets, further) = input;
            var named = further.Select((f, i) => ($"eth{i + 1}", Link(f.Item2, f.Item1))).ToList();
            var link = LocalLink.Combine(Link(true, mainSubnets), named);
            var report = new NodeReport("n", "eth0", link.Subnets, link.Up, true, "s", null, link.SubnetInterfaces);
            return link.Subnets.Distinct().Count() == link.Subnets.Count
                && link.Subnets.All(s =>
                {
                    var expected = mainSubnets.Contains(s) ? "eth0" : named.First(f => f.Item2.Up && f.Item2.Subnets.Contains(s)).Item1;
                    return report.InterfaceFor(s.BaseAddress) == expected;
                })
                && named.Where(f => f.Item2.Up).SelectMany(f => f.Item2.Subnets).Concat(mainSubnets).All(link.Subnets.Contains);
        });
    }
}
