using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

public sealed class ServiceGroupCatalogTests
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_broken_group_does_not_affect_valid_ones()
    {
        var catalog = ServiceGroupCatalog.Build(
        [
            Fixtures.V4Group("good", "10.0.0.0/24", "10.0.0.0/24"),
            Fixtures.V4Group("bad", "10.1.0.0/24", "10.2.0.1-10.2.0.9"),
        ]);

        catalog.Groups.Select(g => g.Name).Should().Equal("good");
        catalog.RejectedGroups.Should().Equal("bad");
        catalog.ErrorsOf("bad").Should().ContainSingle().Which.Code.Should().Be(GroupErrorCode.RangeOutsideSubnet);
    }

    [Fact]
    public void Of_two_overlapping_groups_the_older_one_is_kept_and_the_newer_names_it()
    {
        var catalog = ServiceGroupCatalog.Build(
        [
            Fixtures.V4Group("aaa-new", "10.0.0.0/24", "10.0.0.100-10.0.0.200", Monday.AddDays(1)),
            Fixtures.V4Group("zzz-old", "10.0.0.0/24", "10.0.0.0/25", Monday),
        ]);

        catalog.Groups.Select(g => g.Name).Should().Equal("zzz-old");
        var error = catalog.ErrorsOf("aaa-new").Should().ContainSingle().Subject;
        error.Code.Should().Be(GroupErrorCode.OverlapsOtherGroup);
        error.Message.Should().Contain("'zzz-old'").And.Contain("10.0.0.0-10.0.0.127");
    }

    [Fact]
    public void Without_timestamps_the_lower_name_wins_an_overlap()
    {
        var catalog = ServiceGroupCatalog.Build(
        [
            Fixtures.V4Group("beta", "10.0.0.0/24", "10.0.0.0/24"),
            Fixtures.V4Group("alpha", "10.0.0.0/24", "10.0.0.5"),
        ]);

        catalog.Groups.Select(g => g.Name).Should().Equal("alpha");
        catalog.ErrorsOf("beta").Single().Message.Should().Contain("'alpha'");
    }

    [Fact]
    public void A_rejected_group_does_not_block_others_from_its_range()
    {
        var catalog = ServiceGroupCatalog.Build(
        [
            new ServiceGroupSpec { Name = "broken", CreatedAt = Monday, V4Pool = new PoolSpec("10.0.0.0/24", "10.0.0.0/24", "/99") },
            Fixtures.V4Group("later", "10.0.0.0/24", "10.0.0.0/24", Monday.AddDays(1)),
        ]);

        catalog.Groups.Select(g => g.Name).Should().Equal("later");
    }

    [Fact]
    public void Duplicate_names_keep_the_first_definition()
    {
        var catalog = ServiceGroupCatalog.Build(
        [
            Fixtures.V4Group("same", "10.0.0.0/24", "10.0.0.0/24", Monday),
            Fixtures.V4Group("same", "10.9.0.0/24", "10.9.0.0/24", Monday.AddDays(1)),
        ]);

        catalog.Groups.Should().ContainSingle().Which.Pools[0].Subnet.ToString().Should().Be("10.0.0.0/24");
        catalog.Errors.Should().ContainSingle().Which.Code.Should().Be(GroupErrorCode.DuplicateName);
    }

    [Fact]
    public void Preference_order_is_priority_then_default_then_name()
    {
        var catalog = ServiceGroupCatalog.Build(
        [
            Fixtures.V4Group("b", "10.0.1.0/24", "10.0.1.0/24"),
            Fixtures.V4Group("a", "10.0.2.0/24", "10.0.2.0/24"),
            Fixtures.V4Group("default", "10.0.3.0/24", "10.0.3.0/24"),
            Fixtures.V4Group("gold", "10.0.4.0/24", "10.0.4.0/24") with { Allocation = new AllocationSpec { Priority = 1 } },
            Fixtures.V4Group("silver", "10.0.5.0/24", "10.0.5.0/24") with { Allocation = new AllocationSpec { Priority = 5 } },
        ]);

        catalog.InPreferenceOrder.Select(g => g.Name).Should().Equal("gold", "silver", "default", "a", "b");
    }
}
