using Beacon.Allocator.Mapping;
using Beacon.Allocator.Queries;

namespace Beacon.Allocator.Tests.Formats.Conflicts;

/// <summary>Two resources of any kinds claiming overlapping ranges: the older keeps them, the newer says why it is unused.</summary>
public sealed class CrossFormatConflictTests
{
    private static readonly DateTimeOffset Older = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Newer = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var older in PoolKinds.Writers.Keys)
        {
            foreach (var newer in PoolKinds.Writers.Keys.Where(n => !(n == older && n == PoolKinds.LegacyConfigMap)))
            {
                data.Add(older, newer);
            }
        }

        return data;
    }

    private static FormatWorld World(string olderKind, string newerKind) => FormatWorld.Of(
        // The newer one comes first in the directory: age decides, not file order.
        ("a-newer.yaml", PoolKinds.Writers[newerKind]("newer", "10.0.0.5-10.0.0.20", Newer)),
        ("b-older.yaml", PoolKinds.Writers[olderKind]("older", "10.0.0.1-10.0.0.10", Older)));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_older_keeps_its_addresses_and_the_newer_names_it_in_its_status(string olderKind, string newerKind)
    {
        var world = World(olderKind, newerKind);

        world.Engine.Groups.Find("older").Should().NotBeNull();
        world.Engine.Groups.Find("newer").Should().BeNull();
        world.GroupProblems("older").Should().BeEmpty();
        world.GroupProblems("newer").Should().ContainSingle().Which.Should()
            .Contain("range 10.0.0.5-10.0.0.20 overlaps 10.0.0.1-10.0.0.10")
            .And.Contain($"of {PoolKinds.KindOf(olderKind)} 'older'")
            .And.Contain("which is older and keeps it");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_foreign_newer_resource_is_in_the_status_rejected_list_with_its_kind_file_and_line(string olderKind, string newerKind)
    {
        var world = World(olderKind, newerKind);
        var view = new AllocatorView([], world.Snapshot.Groups.Values.ToList(), new LoadBalancerClassFilter("beacon.io/beacon", [], true),
            _ => null, _ => [], _ => [], [], world.Snapshot.ForeignResources);

        var rejected = StatusReportBuilder.RejectedGroups(view);

        var entry = rejected.Should().ContainSingle().Subject;
        entry.Group.Should().Be(PoolKinds.ReportedAs(newerKind, "newer"));
        entry.Reasons.Should().ContainSingle().Which.Should().Contain($"{PoolKinds.KindOf(olderKind)} 'older'");
        if (newerKind != "ServiceGroup v1")
        {
            entry.Reasons.Single().Should().StartWith("a-newer.yaml:", "a foreign resource is located by file and line");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Ranges_that_only_touch_do_not_conflict(string olderKind, string newerKind)
    {
        var world = FormatWorld.Of(
            ("a.yaml", PoolKinds.Writers[newerKind]("newer", "10.0.0.11-10.0.0.20", Newer)),
            ("b.yaml", PoolKinds.Writers[olderKind]("older", "10.0.0.1-10.0.0.10", Older)));

        world.Engine.Groups.Groups.Select(g => g.Name).Should().BeEquivalentTo(["older", "newer"]);
    }
}
