using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// PureLB v2 <c>multiPool</c>: one Service, one local address per subnet (several of one family). Each is owned by a
/// node of its own subnet, independently of the others.
/// </summary>
public sealed class MultiPoolAddressesTests
{
    private static readonly IPNetwork Lan2 = IPNetwork.Parse("198.19.0.0/24");

    [Fact]
    public void Each_local_address_of_one_service_is_owned_by_a_node_of_its_own_subnet()
    {
        var services = new[]
        {
            Service("web", addresses:
            [
                Local("198.18.0.100"),
                new AllocatedAddress("198.19.0.100", 24, IpFamily.IPv4, AddressPlacement.Local, "lan", "198.19.0.0/24", null),
            ]),
        };
        var view = new MembershipView([Node("node1", subnets: Lan4), Node("node2", subnets: Lan4), Node("node3", subnets: Lan2)]);

        var plans = new[] { "node1", "node2", "node3" }.ToDictionary(n => n, n => AddressPlan.For(AddressDemand.From(services), view, new LocalNode(n, "eth0", "kube-lb0", true)));

        plans["node3"].Addresses.Should().ContainSingle().Which.Plumbing.Should().Be(new PlumbedAddress(IPAddress.Parse("198.19.0.100"), 24, "eth0"));
        plans["node1"].Addresses.Concat(plans["node2"].Addresses).Should().ContainSingle()
            .Which.Plumbing.Address.Should().Be(IPAddress.Parse("198.18.0.100"));
        plans.Values.Should().AllSatisfy(p => p.Owners.Should().HaveCount(2));
    }
}
