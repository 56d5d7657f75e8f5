using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class GroupChangeTests
{
    [Fact]
    public void Changing_groups_lists_pending_services_to_retry_and_they_succeed_afterwards()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.1"));
        engine.Allocate(Service("a"));
        engine.Allocate(Service("b")).Status.Should().Be(AllocationStatus.Pending);
        engine.Allocate(Service("c", group: "later")).Failure!.Reason.Should().Be(FailureReason.UnknownGroup);

        var update = engine.SetGroups([V4Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.2"), V4Group("later", "10.0.5.0/24", "10.0.5.0/24")]);

        update.Pending.Should().Equal(new ServiceKey("default", "b"), new ServiceKey("default", "c"));
        update.Stale.Should().BeEmpty();
        engine.Allocate(Service("b")).Ips().Should().Equal("10.0.0.2");
        engine.Allocate(Service("c", group: "later")).Ips().Should().Equal("10.0.5.0");
        engine.Pending.Should().BeEmpty();
    }

    [Fact]
    public void Growing_a_pool_keeps_every_existing_address()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.10-10.0.0.12"));
        var before = Enumerable.Range(0, 3).Select(i => engine.Allocate(Service($"s{i}")).Ips().Single()).ToList();

        engine.SetGroups([V4Group("default", "10.0.0.0/24", "10.0.0.0-10.0.0.20")]);

        Enumerable.Range(0, 3).Select(i => engine.Allocate(Service($"s{i}")).Ips().Single()).Should().Equal(before);
        engine.Allocate(Service("new")).Ips().Should().Equal("10.0.0.0");
    }
}
