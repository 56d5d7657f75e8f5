using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class GroupSelectionTests
{
    [Fact]
    public void Services_naming_no_group_try_the_default_group_first()
    {
        var engine = Engine(V4Group("a-group", "10.0.1.0/24", "10.0.1.0/24"), V4Group("default", "10.0.2.0/24", "10.0.2.1"));

        engine.Allocate(Service("first")).Addresses.Single().Group.Should().Be("default");
        engine.Allocate(Service("second")).Addresses.Single().Group.Should().Be("a-group", "the next group is used once default is full");
    }

    [Fact]
    public void AutoAssign_false_groups_serve_only_services_that_name_them_or_their_addresses()
    {
        var engine = Engine(new ServiceGroupSpec { Name = "expensive", AutoAssign = false, V4Pool = new PoolSpec("203.0.113.0/29", "203.0.113.0/29") });

        var unnamed = engine.Allocate(Service("a"));
        unnamed.Failure!.Reason.Should().Be(FailureReason.NoEligibleGroup);
        unnamed.Failure.Message.Should().Contain("purelb.io/service-group");

        engine.Allocate(Service("b", group: "expensive")).Ips().Should().Equal("203.0.113.0");
        engine.Allocate(Service("c", addresses: "203.0.113.5")).Ips().Should().Equal("203.0.113.5");
    }

    [Fact]
    public void Lower_priority_number_is_tried_first()
    {
        var engine = Engine(
            V4Group("default", "10.0.1.0/24", "10.0.1.0/24"),
            V4Group("gold", "10.0.2.0/24", "10.0.2.0/24") with { Allocation = new AllocationSpec { Priority = 10 } },
            V4Group("platinum", "10.0.3.0/24", "10.0.3.0/24") with { Allocation = new AllocationSpec { Priority = 1 } });

        engine.Allocate(Service("a")).Addresses.Single().Group.Should().Be("platinum");
    }

    [Fact]
    public void Namespaces_and_selectors_restrict_who_may_use_a_group()
    {
        var tenant = V4Group("tenant", "10.0.9.0/24", "10.0.9.0/24") with
        {
            Allocation = new AllocationSpec
            {
                Priority = 1,
                Namespaces = ["shop"],
                NamespaceSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "paid" } },
                ServiceSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("expose", "In", ["public"])] },
            },
        };
        var engine = Engine(tenant, V4Group("default", "10.0.1.0/24", "10.0.1.0/24"));
        var paid = new Dictionary<string, string> { ["tier"] = "paid" };
        var publicLabels = new Dictionary<string, string> { ["expose"] = "public" };

        engine.Allocate(Service("ok", ns: "shop", namespaceLabels: paid, labels: publicLabels)).Addresses.Single().Group.Should().Be("tenant");
        engine.Allocate(Service("wrong-ns", ns: "blog", namespaceLabels: paid, labels: publicLabels)).Addresses.Single().Group.Should().Be("default");
        engine.Allocate(Service("unpaid", ns: "shop", labels: publicLabels)).Addresses.Single().Group.Should().Be("default");
        engine.Allocate(Service("private", ns: "shop", namespaceLabels: paid)).Addresses.Single().Group.Should().Be("default");

        var named = engine.Allocate(Service("named", group: "tenant", ns: "blog"));
        named.Failure!.Reason.Should().Be(FailureReason.GroupNotAllowed);
        engine.Allocate(Service("asked", addresses: "10.0.9.200", ns: "blog")).Failure!.Reason.Should().Be(FailureReason.GroupNotAllowed);
    }

    [Fact]
    public void No_groups_at_all_is_reported_plainly()
    {
        new AddressAllocator().Allocate(Service("a")).Failure!.Message.Should().Be("no valid ServiceGroup exists");
    }
}
