using Beacon.Allocator.Formats.OpenElb;
using Beacon.Allocator.Formats.Status;

namespace Beacon.Allocator.Tests.Formats.Conflicts;

/// <summary>The newer of two overlapping resources carries the reason where its users look: its status and the configuration state.</summary>
public sealed class ConflictStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);

    private static FormatWorld World() => FormatWorld.Of(
        ("a-eip.yaml", PoolKinds.Writers["Eip"]("newer", "10.0.0.5-10.0.0.20", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))),
        ("b-group.yaml", PoolKinds.Writers["ServiceGroup v2"]("older", "10.0.0.1-10.0.0.10", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))),
        ("c-bad.yaml", PoolKinds.Writers["Eip"]("bad", "10.0.9.9-10.0.9.1", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))));

    [Fact]
    public void The_newer_eip_is_not_ready_and_its_condition_names_the_older_service_group()
    {
        var world = World();

        var statuses = EipStatuses.Build(world.Snapshot.ForeignResources, world.Translation, world.Engine.Groups, world.Engine.Assignments(), _ => null, Now);

        statuses["newer"].Eip.Ready.Should().BeFalse();
        statuses["newer"].Eip.PoolSize.Should().Be(16, "the counters still describe the Eip's own address");
        statuses["newer"].Ready.Reason.Should().Be("Conflict");
        statuses["newer"].Ready.Message.Should().Contain("of ServiceGroup 'older'").And.Contain("which is older and keeps it");
        statuses["bad"].Ready.Should().Match<ReadyCondition>(c => c.Reason == "Invalid" && c.Message.StartsWith("spec.address: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_configuration_state_names_every_refused_resource_with_kind_file_and_line()
    {
        var world = World();

        var state = ConfigurationStateBuilder.Build(RejectedResources.From(world.Translation, world.Engine.Groups), null, Now);

        state.Result.Should().Be("Invalid");
        var lines = state.ErrorSummary!.Split('\n');
        lines.Should().HaveCount(2);
        lines[0].Should().StartWith("a-eip.yaml:1: Eip newer: spec.local.v4pool.pool: range 10.0.0.5-10.0.0.20 overlaps");
        lines[1].Should().StartWith("c-bad.yaml:7: Eip bad: spec.address: '10.0.9.9-10.0.9.1' is reversed");
    }
}
