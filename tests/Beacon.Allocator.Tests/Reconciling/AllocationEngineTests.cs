using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Ipam;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Reconciling;

public sealed class AllocationEngineTests
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], serveUnclassed: true);

    private static AllocationEngine Engine(params Beacon.Kube.Models.ServiceGroup[] groups)
    {
        var engine = new AllocationEngine(Classes);
        engine.SetGroups(groups);
        return engine;
    }

    [Fact]
    public void A_service_gets_the_lowest_free_address_with_a_satisfied_condition_and_the_group_annotations()
    {
        var engine = Engine(Group("default", "192.168.1.0/24", "192.168.1.240-192.168.1.250"));

        var decision = engine.Reconcile(Service("web"), null);

        decision.Status.Should().Be(AllocationStatus.Allocated);
        decision.Addresses.Select(a => a.Address.ToString()).Should().Equal("192.168.1.240");
        decision.Condition!.Status.Should().Be("True");
        decision.Condition.Type.Should().Be("beacon.io/AddressAssigned");
        decision.Condition.Message.Should().Be("Assigned 192.168.1.240 from ServiceGroup default");
        decision.Annotations.Should().Contain("purelb.io/allocated-by", "Beacon").And.Contain("purelb.io/allocated-from", "default");
        decision.Event!.Reason.Should().Be("AddressAssigned");
    }

    [Fact]
    public void A_service_no_group_admits_is_pending_and_says_so()
    {
        var engine = Engine(Group("private", "10.0.0.0/24", "10.0.0.1-10.0.0.5", autoAssign: false));

        var decision = engine.Reconcile(Service("web"), null);

        decision.Status.Should().Be(AllocationStatus.Pending);
        decision.Addresses.Should().BeEmpty();
        decision.Condition!.Status.Should().Be("False");
        decision.Condition.Reason.Should().Be("NoEligibleGroup");
        decision.Event!.Type.Should().Be("Warning");
    }

    [Fact]
    public void An_exhausted_group_leaves_the_next_service_pending_without_disturbing_the_others()
    {
        var engine = Engine(Group("tiny", "10.0.0.0/24", "10.0.0.1-10.0.0.2"));
        engine.Reconcile(Service("a"), null);
        engine.Reconcile(Service("b"), null);

        var third = engine.Reconcile(Service("c"), null);

        third.Condition!.Reason.Should().Be("PoolExhausted");
        engine.AddressesOf(new ServiceKey("default", "a")).Should().ContainSingle();
        engine.AddressesOf(new ServiceKey("default", "b")).Should().ContainSingle();
    }

    [Fact]
    public void A_requested_address_held_by_another_service_names_that_service()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));
        engine.Reconcile(Service("first", ns: "team-a", annotations: Annotations(("purelb.io/addresses", "10.0.0.5"))), null);

        var second = engine.Reconcile(Service("second", annotations: Annotations(("purelb.io/addresses", "10.0.0.5"))), null);

        second.Condition!.Reason.Should().Be("AddressInUse");
        second.Condition.Message.Should().Contain("team-a/first");
    }

    [Fact]
    public void A_sharing_conflict_names_the_port_and_the_other_service()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));
        var shared = Annotations(("purelb.io/addresses", "10.0.0.5"), ("purelb.io/allow-shared-ip", "k"));
        engine.Reconcile(Service("first", annotations: shared, tcpPorts: [80]), null);

        var second = engine.Reconcile(Service("second", annotations: new Dictionary<string, string>(shared), tcpPorts: [80, 443]), null);

        second.Condition!.Reason.Should().Be("SharingConflict");
        second.Condition.Message.Should().Contain("80/TCP").And.Contain("default/first");
    }

    [Fact]
    public void Services_sharing_a_key_on_different_ports_get_the_same_address()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));

        var a = engine.Reconcile(Service("a", annotations: Annotations(("purelb.io/allow-shared-ip", "k")), tcpPorts: [80]), null);
        var b = engine.Reconcile(Service("b", annotations: Annotations(("purelb.io/allow-shared-ip", "k")), tcpPorts: [443]), null);

        b.Addresses.Single().Address.Should().Be(a.Addresses.Single().Address);
        b.Condition!.Message.Should().Be($"Assigned {a.Addresses.Single().Address} from ServiceGroup default");
    }

    [Fact]
    public void An_invalid_annotation_is_reported_as_such()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));

        var decision = engine.Reconcile(Service("web", annotations: Annotations(("purelb.io/addresses", "10.0.0.999"))), null);

        decision.Condition!.Reason.Should().Be("InvalidRequest");
        decision.Condition.Message.Should().Contain("purelb.io/addresses");
    }

    [Fact]
    public void Services_of_another_load_balancer_class_are_never_touched()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));

        var decision = engine.Reconcile(Service("web", loadBalancerClass: "example.com/other"), null);

        decision.Owned.Should().BeFalse();
        decision.Clear.Should().BeFalse();
        ServiceStatusPlanner.Plan(Service("web", loadBalancerClass: "example.com/other"), decision, DateTimeOffset.UnixEpoch).NothingToDo.Should().BeTrue();
    }

    [Fact]
    public void PureLB_class_services_are_served_as_ours()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));

        engine.Reconcile(Service("web", loadBalancerClass: "purelb.io/purelb"), null).Status.Should().Be(AllocationStatus.Allocated);
    }

    [Fact]
    public void Changing_the_type_releases_the_address_and_clears_what_we_wrote()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.1"));
        var service = Service("web");
        engine.Reconcile(service, null);

        service.Spec.Type = "ClusterIP";
        var decision = engine.Reconcile(service, null);

        decision.Clear.Should().BeTrue();
        decision.Event!.Reason.Should().Be("AddressReleased");
        decision.Annotations.Should().ContainKey("purelb.io/allocated-from").WhoseValue.Should().BeNull();
        engine.Reconcile(Service("next"), null).Addresses.Single().Address.ToString().Should().Be("10.0.0.1");
    }

    [Fact]
    public void Deleting_a_service_frees_its_address()
    {
        var engine = Engine(Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.1"));
        engine.Reconcile(Service("web"), null);

        engine.Remove(new ServiceKey("default", "web")).Select(a => a.ToString()).Should().Equal("10.0.0.1");
        engine.Reconcile(Service("next"), null).Status.Should().Be(AllocationStatus.Allocated);
    }

    [Fact]
    public void A_new_engine_restored_from_status_keeps_every_address_whatever_order_services_arrive_in()
    {
        var group = Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.50");
        var first = Engine(group);
        var services = Enumerable.Range(0, 30).Select(i => Service($"s{i}")).ToList();
        foreach (var s in services)
        {
            var d = first.Reconcile(s, null);
            WithStatus(s, d.Addresses.Select(a => a.Address.ToString()).ToArray());
        }

        // A second service was deleted, so there is a hole before later ones; a new service arrives first after restart.
        services.RemoveAt(3);
        var second = Engine(group);
        second.Restore(services.Select(s => (s, (IReadOnlyDictionary<string, string>?)null)));
        var newcomer = second.Reconcile(Service("newcomer"), null);
        foreach (var s in Enumerable.Reverse(services))
        {
            var d = second.Reconcile(s, null);
            d.Addresses.Select(a => a.Address.ToString()).Should().Equal(s.Status!.LoadBalancer!.Ingress!.Select(i => i.IP));
            ServiceStatusPlanner.Plan(s, d, DateTimeOffset.UnixEpoch).Status.Should().NotBeNull("the condition is new; the ingress is unchanged");
        }

        newcomer.Addresses.Single().Address.ToString().Should().Be("10.0.0.4", "the only hole is the deleted service's address");
    }

    [Fact]
    public void Group_changes_are_visible_to_pending_services()
    {
        var engine = Engine();
        engine.Reconcile(Service("web"), null).Status.Should().Be(AllocationStatus.Pending);

        engine.SetGroups([Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9")]);

        engine.Reconcile(Service("web"), null).Status.Should().Be(AllocationStatus.Allocated);
    }
}
