using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class TakeoverProbeTests
{
    private static readonly LocalNode Node1 = new("node1", "eth0", "kube-lb0", true);

    private static MembershipView View(params string[] names) => new(names.Select(n => Node(n)));

    private static AddressPlan Plan(string address, MembershipView view, LocalNode self) =>
        AddressPlan.For(AddressDemand.From([Service("web", addresses: Local(address))]), view, self);

    /// <summary>An address node2 wins among node1..node3 and node1 wins once node2 is gone.</summary>
    private static string AddressNode2WinsThenNode1() =>
        Lan4Addresses(200).First(a =>
            Election.Winner(a, [Node("node1"), Node("node2"), Node("node3")], _ => true)!.Node == "node2"
            && Election.Winner(a, [Node("node1"), Node("node3")], _ => true)!.Node == "node1").ToString();

    [Fact]
    public void An_address_whose_owner_fell_silent_is_probed_before_we_take_it()
    {
        var address = AddressNode2WinsThenNode1();
        var before = Plan(address, View("node1", "node2", "node3"), Node1);
        var after = View("node1", "node3");

        TakeoverProbe.Candidates(before, Plan(address, after, Node1), after, Node1).Select(a => a.ToString()).Should().Equal(address);
    }

    [Fact]
    public void A_new_address_an_address_we_hold_and_one_whose_owner_is_still_in_the_view_are_not_probed()
    {
        var address = AddressNode2WinsThenNode1();
        var all = View("node1", "node2", "node3");
        var withoutNode2 = View("node1", "node3");

        TakeoverProbe.Candidates(AddressPlan.Empty, Plan(address, withoutNode2, Node1), withoutNode2, Node1)
            .Should().BeEmpty("nobody held the address before: no previous owner can still answer");
        var held = Plan(address, withoutNode2, Node1);
        TakeoverProbe.Candidates(held, held, withoutNode2, Node1).Should().BeEmpty("we hold it already");
        // node2 is still heard but its link went down: it lost the election and withdraws the address itself.
        var linkDown = new MembershipView([Node("node1"), Node("node2", linkUp: false), Node("node3")]);
        TakeoverProbe.Candidates(Plan(address, all, Node1), Plan(address, linkDown, Node1), linkDown, Node1).Should().BeEmpty();
    }

    [Fact]
    public void Ipv6_addresses_are_not_probed()
    {
        var address = Enumerable.Range(2, 200).Select(i => IPAddress.Parse(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fd00:beac::{i:x}"))).First(a =>
            Election.Winner(a, [Node("node1"), Node("node2")], _ => true)!.Node == "node2");
        var services = AddressDemand.From([Service("web", addresses: Local(address.ToString()))]);
        var before = AddressPlan.For(services, View("node1", "node2"), Node1);
        var after = View("node1");

        TakeoverProbe.Candidates(before, AddressPlan.For(services, after, Node1), after, Node1).Should().BeEmpty();
    }

    [Fact]
    public void A_deferred_address_is_left_out_of_the_plan_and_keeps_its_previous_owner_so_it_is_probed_again()
    {
        var address = AddressNode2WinsThenNode1();
        var before = Plan(address, View("node1", "node2", "node3"), Node1);
        var after = View("node1", "node3");
        var won = Plan(address, after, Node1);

        var deferred = won.Deferring(new Dictionary<IPAddress, string> { [IPAddress.Parse(address)] = "node2" });

        deferred.Addresses.Should().BeEmpty("the previous owner still answers: we must not answer too");
        deferred.Owners[IPAddress.Parse(address)].Should().Be("node2");
        TakeoverProbe.Candidates(deferred, won, after, Node1).Select(a => a.ToString()).Should().Equal(address);
        TakeoverProbe.Candidates(before, won, after, Node1).Should().Equal(TakeoverProbe.Candidates(deferred, won, after, Node1));
    }
}
