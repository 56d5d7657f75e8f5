using Beacon.Allocator.Mapping;
using Beacon.Allocator.Queries;
using Beacon.Allocator.Reconciling;
using Beacon.Contracts;
using Beacon.Ipam;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Queries;

/// <summary>An invalid ServiceGroup is visible where users look: its own Ready condition and beaconctl status.</summary>
public sealed class RejectedGroupsTests
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], true);

    private static readonly Kube.Models.ServiceGroup[] Groups =
    [
        Group("lan", "10.0.0.0/24", "10.0.0.10-10.0.0.20"),
        Group("overlapping", "10.0.0.0/24", "10.0.0.15-10.0.0.30"),
        Group("reversed", "10.1.0.0/24", "10.1.0.20-10.1.0.10"),
        Group("everything", "0.0.0.0/0", "0.0.0.0/0"),
    ];

    private static AllocatorView View() => new([], Groups, Classes, _ => null, _ => [], _ => [], []);

    [Fact]
    public void Status_lists_every_rejected_group_with_the_field_and_the_reason()
    {
        var reply = StatusReportBuilder.Build(View(), new StatusQueryRequest(null), "alloc", DateTimeOffset.UnixEpoch);

        reply.RejectedGroups.Should().NotBeNull();
        reply.RejectedGroups!.Select(r => r.Group).Should().Equal("everything", "overlapping", "reversed");
        reply.RejectedGroups!.Single(r => r.Group == "overlapping").Reasons.Should().ContainSingle()
            .Which.Should().StartWith("spec.local.v4pool.pool: ").And.Contain("overlaps").And.Contain("'lan'");
        reply.RejectedGroups!.Single(r => r.Group == "reversed").Reasons.Should().ContainSingle().Which.Should().StartWith("spec.local.v4pool.pool: ");
        reply.RejectedGroups!.Single(r => r.Group == "everything").Reasons.Should().ContainSingle().Which.Should().Contain("/0");
        reply.Pools.Select(p => p.Group).Should().OnlyContain(g => g == "lan");
    }

    [Fact]
    public void The_groups_Ready_condition_carries_the_same_reasons()
    {
        var engine = new AllocationEngine(Classes);
        engine.SetGroups(Groups);
        var reply = StatusReportBuilder.Build(View(), new StatusQueryRequest(null), "alloc", DateTimeOffset.UnixEpoch);

        foreach (var group in Groups)
        {
            var condition = GroupStatusBuilder.Build(group, engine.Groups, engine.Statistics(), DateTimeOffset.UnixEpoch).Conditions!.Single();
            var rejected = reply.RejectedGroups!.SingleOrDefault(r => r.Group == group.Metadata.Name);
            if (rejected is null)
            {
                condition.Status.Should().Be("True");
            }
            else
            {
                condition.Should().BeEquivalentTo(new { Type = "Ready", Status = "False", Reason = "Invalid", Message = string.Join("; ", rejected.Reasons) });
            }
        }
    }
}
