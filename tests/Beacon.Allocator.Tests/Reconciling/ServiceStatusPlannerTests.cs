using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Reconciling;

public sealed class ServiceStatusPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (Service Service, ServiceDecision Decision) Allocated()
    {
        var engine = new AllocationEngine(new LoadBalancerClassFilter("beacon.io/beacon", [], true));
        engine.SetGroups([Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9")]);
        var service = Service("web");
        return (service, engine.Reconcile(service, null));
    }

    private static void Apply(Service service, ServiceStatusPlan plan)
    {
        if (plan.Status is not null)
        {
            service.Status = plan.Status;
        }

        if (plan.Annotations is not null)
        {
            service.Metadata.Annotations ??= [];
            foreach (var (k, v) in plan.Annotations)
            {
                if (v is null)
                {
                    service.Metadata.Annotations.Remove(k);
                }
                else
                {
                    service.Metadata.Annotations[k] = v;
                }
            }
        }
    }

    [Fact]
    public void Writes_the_ingress_with_ipMode_VIP_the_condition_and_the_annotations_once()
    {
        var (service, decision) = Allocated();

        var plan = ServiceStatusPlanner.Plan(service, decision, T0);

        plan.Status!.LoadBalancer!.Ingress!.Should().ContainSingle().Which.Should().Match<LoadBalancerIngress>(i => i.IP == "10.0.0.1" && i.IpMode == "VIP");
        plan.Status.Conditions!.Single().LastTransitionTime.Should().Be(T0);
        plan.Annotations.Should().ContainKey("purelb.io/allocated-from");
        plan.ConditionChanged.Should().BeTrue("the first assignment is worth an Event");

        Apply(service, plan);
        var again = ServiceStatusPlanner.Plan(service, decision, T0.AddMinutes(5));
        again.NothingToDo.Should().BeTrue("a resync or restart must not cost API writes or repeat Events");
        again.ConditionChanged.Should().BeFalse();
    }

    [Fact]
    public void Keeps_other_controllers_conditions_and_the_transition_time_when_only_the_message_changes()
    {
        var (service, decision) = Allocated();
        service.Status = new ServiceStatus { Conditions = [new Condition { Type = "example.com/Other", Status = "True" }] };
        Apply(service, ServiceStatusPlanner.Plan(service, decision, T0));

        var changed = decision with { Condition = new Condition { Type = decision.Condition!.Type, Status = "True", Reason = "Allocated", Message = "different" } };
        var plan = ServiceStatusPlanner.Plan(service, changed, T0.AddHours(1));

        plan.Status!.Conditions!.Select(c => c.Type).Should().BeEquivalentTo(["example.com/Other", "beacon.io/AddressAssigned"]);
        plan.Status.Conditions!.Single(c => c.Type == "beacon.io/AddressAssigned").LastTransitionTime.Should().Be(T0);
    }

    [Fact]
    public void Clearing_removes_our_ingress_condition_and_annotations_only()
    {
        var (service, decision) = Allocated();
        service.Metadata.Annotations = new Dictionary<string, string> { ["keep"] = "me" };
        Apply(service, ServiceStatusPlanner.Plan(service, decision, T0));

        var clear = new ServiceDecision(decision.Key, Ipam.AllocationStatus.NotManaged, false, true, [], null,
            new Dictionary<string, string?> { ["purelb.io/allocated-from"] = null, ["purelb.io/allocated-by"] = null }, null);
        var plan = ServiceStatusPlanner.Plan(service, clear, T0);

        plan.Status!.LoadBalancer!.Ingress.Should().BeNullOrEmpty();
        plan.Status.Conditions.Should().BeNull();
        plan.Annotations.Should().BeEquivalentTo(new Dictionary<string, string?> { ["purelb.io/allocated-from"] = null, ["purelb.io/allocated-by"] = null });
    }
}
