using System.Net;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Contracts;
using Beacon.Kube.Models;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Reconciling;

public sealed class ReadyNodesAndMessagesTests
{
    private static EndpointSlice Slice(params (string Node, bool? Ready)[] endpoints) => new()
    {
        Endpoints = endpoints.Select(e => new Endpoint { Addresses = ["10.244.0.1"], NodeName = e.Node, Conditions = new EndpointConditions { Ready = e.Ready } }).ToList(),
    };

    private static Node NodeNamed(string name, string ready = "True", bool excluded = false) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = excluded ? new Dictionary<string, string> { [ReadyNodeCalculator.ExcludeLabel] = "" } : null },
        Status = new NodeStatus { Conditions = [new NodeCondition { Type = "Ready", Status = ready }] },
    };

    [Fact]
    public void Ready_nodes_are_those_with_a_ready_or_unknown_endpoint_sorted_and_distinct()
    {
        var nodes = ReadyNodeCalculator.ReadyNodes([Slice(("n2", true), ("n1", null), ("n3", false)), Slice(("n2", true))], null);

        nodes.Should().Equal("n1", "n2");
    }

    [Fact]
    public void Nodes_that_are_not_ready_missing_or_excluded_are_left_out()
    {
        var known = new[] { NodeNamed("ok"), NodeNamed("down", "False"), NodeNamed("excluded", excluded: true) }.ToDictionary(n => n.Metadata.Name!);

        ReadyNodeCalculator.ReadyNodes([Slice(("ok", true), ("down", true), ("excluded", true), ("gone", true))], known).Should().Equal("ok");
    }

    [Fact]
    public void The_bus_message_says_where_each_address_goes_and_carries_what_a_node_needs()
    {
        var engine = new AllocationEngine(new LoadBalancerClassFilter("beacon.io/beacon", [], true));
        engine.SetGroups([Group("lan", "192.168.1.0/24", "192.168.1.240-192.168.1.250"), Group("routed", "172.30.0.0/24", "172.30.0.0/26", "/32", remote: true)]);
        var lan = Service("lan-svc", annotations: Annotations(("purelb.io/service-group", "lan"), ("purelb.io/allow-shared-ip", "k")), policy: "Local");
        var routed = Service("routed-svc", annotations: Annotations(("purelb.io/service-group", "routed")));
        var nodeIps = new[] { IPAddress.Parse("192.168.1.10") };

        var local = AllocationChangeBuilder.Build(lan, engine.Reconcile(lan, null).Addresses, ["n1"], engine.RemoteGroups, nodeIps);
        var remote = AllocationChangeBuilder.Build(routed, engine.Reconcile(routed, null).Addresses, ["n1", "n2"], engine.RemoteGroups, nodeIps);

        local.Addresses.Single().Should().Be(new Contracts.AllocatedAddress("192.168.1.240", 24, Contracts.IpFamily.IPv4, AddressPlacement.Local,
            local.Addresses.Single().Pool, "192.168.1.0/24", null));
        local.ExternalTrafficPolicy.Should().Be(TrafficPolicy.Local);
        local.SharingKey.Should().Be("k");
        local.ReadyNodes.Should().Equal("n1");
        local.Ports.Should().Equal(new Contracts.ServicePort(80, "TCP"));
        local.ServiceGroup.Should().Be("lan");
        remote.Addresses.Single().Placement.Should().Be(AddressPlacement.Remote);
        remote.Addresses.Single().PrefixLength.Should().Be(32);
    }

    [Fact]
    public void A_local_group_address_outside_every_node_subnet_goes_on_kube_lb0()
    {
        var engine = new AllocationEngine(new LoadBalancerClassFilter("beacon.io/beacon", [], true));
        engine.SetGroups([Group("elsewhere", "10.9.0.0/24", "10.9.0.1-10.9.0.9", "/24")]);
        var service = Service("svc");

        var message = AllocationChangeBuilder.Build(service, engine.Reconcile(service, null).Addresses, [], engine.RemoteGroups, [IPAddress.Parse("192.168.1.10")]);

        message.Addresses.Single().Placement.Should().Be(AddressPlacement.Remote);
        message.Addresses.Single().PrefixLength.Should().Be(32);
        message.Addresses.Single().AggregationPrefixLength.Should().Be(24);
    }

    [Fact]
    public void Group_status_reports_size_used_and_free_per_pool_and_why_a_group_is_unusable()
    {
        var good = Group("good", "10.0.0.0/24", "10.0.0.1-10.0.0.10");
        var bad = Group("bad", "10.1.0.0/24", "10.2.0.1-10.2.0.10");
        var engine = new AllocationEngine(new LoadBalancerClassFilter("beacon.io/beacon", [], true));
        engine.SetGroups([good, bad]);
        engine.Reconcile(Service("a", annotations: Annotations(("purelb.io/service-group", "good"))), null);

        var goodStatus = GroupStatusBuilder.Build(good, engine.Groups, engine.Statistics(), DateTimeOffset.UnixEpoch);
        var badStatus = GroupStatusBuilder.Build(bad, engine.Groups, engine.Statistics(), DateTimeOffset.UnixEpoch);

        goodStatus.Pools!.Single().Should().Match<PoolUsage>(p => p.Size == 10 && p.Used == 1 && p.Free == 9 && p.Family == "IPv4");
        goodStatus.Conditions!.Single().Status.Should().Be("True");
        badStatus.Conditions!.Single().Status.Should().Be("False");
        badStatus.Conditions!.Single().Message.Should().Contain("10.2.0.1");
        GroupStatusBuilder.Differs(goodStatus, GroupStatusBuilder.Build(good, engine.Groups, engine.Statistics(), DateTimeOffset.UnixEpoch.AddDays(1)))
            .Should().BeFalse("timestamps alone are no reason to write");
    }

    [Fact]
    public void The_legacy_PureLB_single_pool_form_maps_to_the_family_of_its_subnet()
    {
        var group = Group("legacy", "10.0.0.0/24", "10.0.0.1-10.0.0.9");
        group.Spec.Local = new ServiceGroupPools { Subnet = "fd00::/120", Pool = "fd00::1-fd00::9", Aggregation = "default" };

        var spec = ServiceGroupMapper.ToSpec(group);

        spec.V6Pool.Should().Be(new Ipam.PoolSpec("fd00::/120", "fd00::1-fd00::9", "default"));
        spec.V4Pool.Should().BeNull();
    }
}
