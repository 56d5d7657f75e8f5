using System.Net;
using System.Text.Json;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Contracts;
using Beacon.Kube.Models;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Reconciling;

/// <summary>
/// PureLB v2 <c>multiPool</c> in Kubernetes mode: the group object's <c>multiPool: true</c> reaches the engine, and every
/// address the Service holds (several of one family) reaches its status and the desired state on the bus.
/// </summary>
public sealed class MultiPoolServiceTests
{
    private static ServiceGroup Segments(string secondPool = "10.0.2.10-10.0.2.19")
    {
        var group = Group("segments", "10.0.1.0/24", "10.0.1.10-10.0.1.19");
        var pools = group.Spec.Local!;
        pools.V4Pools = [new AddressPool { Subnet = "10.0.2.0/24", Pool = secondPool }, new AddressPool { Subnet = "10.0.3.0/24", Pool = "10.0.3.10-10.0.3.19" }];
        pools.ExtensionData = new Dictionary<string, JsonElement> { ["multiPool"] = JsonDocument.Parse("true").RootElement };
        return group;
    }

    private static AllocationEngine Engine(ServiceGroup group)
    {
        var engine = new AllocationEngine(new LoadBalancerClassFilter("beacon.io/beacon", [], true));
        engine.SetGroups([group]).Errors.Should().BeEmpty();
        return engine;
    }

    [Fact]
    public void Every_address_goes_to_the_status_ingress_and_to_the_nodes_each_local_to_its_own_subnet()
    {
        var engine = Engine(Segments());
        var service = Service("web");

        var decision = engine.Reconcile(service, null);
        var plan = ServiceStatusPlanner.Plan(service, decision, DateTimeOffset.UnixEpoch);
        var message = AllocationChangeBuilder.Build(service, decision.Addresses, ["n1"], engine.RemoteGroups,
            [IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.2.2"), IPAddress.Parse("10.0.3.2")]);

        plan.Status!.LoadBalancer!.Ingress!.Select(i => i.IP).Should().Equal("10.0.1.10", "10.0.2.10", "10.0.3.10");
        message.Addresses.Select(a => $"{a.Address} {a.PoolSubnet} {a.Placement}").Should().Equal(
            "10.0.1.10 10.0.1.0/24 Local", "10.0.2.10 10.0.2.0/24 Local", "10.0.3.10 10.0.3.0/24 Local");
    }

    [Fact]
    public void A_full_pool_leaves_the_service_allocated_with_the_others_and_its_condition_names_the_full_pool()
    {
        var engine = Engine(Segments(secondPool: "10.0.2.10"));
        engine.Reconcile(Service("first"), null).Addresses.Should().HaveCount(3);

        var decision = engine.Reconcile(Service("second"), null);

        decision.Addresses.Select(a => a.Address.ToString()).Should().Equal("10.0.1.11", "10.0.3.11");
        decision.Condition!.Status.Should().Be("True");
        decision.Condition.Message.Should().Contain("multiPool: no free address in pool segments/v4pools[0] (10.0.2.0/24)");
    }

    [Fact]
    public void A_restart_restores_every_address_from_the_status()
    {
        var engine = Engine(Segments());
        var service = WithStatus(Service("web"), "10.0.1.15", "10.0.2.15", "10.0.3.15");

        engine.Restore([(service, null)]);
        var decision = engine.Reconcile(service, null);

        decision.Addresses.Select(a => a.Address.ToString()).Should().Equal("10.0.1.15", "10.0.2.15", "10.0.3.15");
        decision.Condition!.Status.Should().Be("True");
    }
}
