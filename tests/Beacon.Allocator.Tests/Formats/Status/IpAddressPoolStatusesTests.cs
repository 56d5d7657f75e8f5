using Beacon.Allocator.Formats.Status;
using Beacon.Allocator.Tests.Formats.Conflicts;

namespace Beacon.Allocator.Tests.Formats.Status;

/// <summary>An IPAddressPool's status as MetalLB ≥ 0.15 users read it, and why the newer of two overlapping pools is not used.</summary>
public sealed class IpAddressPoolStatusesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Old = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset New = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_used_pool_shows_metallbs_counters_and_is_ready()
    {
        var world = FormatWorld.Of(("pool.yaml", PoolKinds.Writers["IPAddressPool"]("office", "10.0.0.10-10.0.0.19", Old)));

        var (_, status) = IpAddressPoolStatuses.Build(world.Snapshot.ForeignResources, world.Translation, world.Engine.Groups, world.Statistics, Now).Single();

        status["assignedIPv4"]!.GetValue<long>().Should().Be(0);
        status["availableIPv4"]!.GetValue<long>().Should().Be(10);
        status["availableIPv6"]!.GetValue<long>().Should().Be(0);
        status["conditions"]![0]!["reason"]!.GetValue<string>().Should().Be("Valid");
    }

    [Theory]
    [InlineData("ServiceGroup v1", "ServiceGroup 'older'")]
    [InlineData("ServiceGroup v2", "ServiceGroup 'older'")]
    [InlineData("Eip", "Eip 'older'")]
    [InlineData("IPAddressPool", "IPAddressPool 'older'")]
    public void The_newer_of_two_overlapping_pools_says_which_older_resource_keeps_the_addresses(string olderKind, string named)
    {
        var world = FormatWorld.Of(
            ("a-older.yaml", PoolKinds.Writers[olderKind]("older", "10.0.0.1-10.0.0.10", Old)),
            ("b-newer.yaml", PoolKinds.Writers["IPAddressPool"]("newer", "10.0.0.5-10.0.0.20", New)));

        var (_, status) = IpAddressPoolStatuses.Build(world.Snapshot.ForeignResources, world.Translation, world.Engine.Groups, world.Statistics, Now)
            .Single(s => s.Pool.Name == "newer");

        status["conditions"]![0]!["status"]!.GetValue<string>().Should().Be("False");
        status["conditions"]![0]!["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["conditions"]![0]!["message"]!.GetValue<string>().Should().Contain(named).And.Contain("which is older and keeps it");
        status["availableIPv4"]!.GetValue<long>().Should().Be(0, "Beacon hands out nothing from a pool it does not use");
    }

    [Fact]
    public void A_pool_whose_name_an_older_resource_of_another_kind_holds_says_so()
    {
        var world = FormatWorld.Of(
            ("a-older.yaml", PoolKinds.Writers["Eip"]("shared-name", "10.0.1.1-10.0.1.10", Old)),
            ("b-newer.yaml", PoolKinds.Writers["IPAddressPool"]("shared-name", "10.0.2.1-10.0.2.10", New)));

        var (_, status) = IpAddressPoolStatuses.Build(world.Snapshot.ForeignResources, world.Translation, world.Engine.Groups, world.Statistics, Now).Single();

        status["conditions"]![0]!["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["conditions"]![0]!["message"]!.GetValue<string>().Should().Contain("Eip");
    }

    [Fact]
    public void The_transition_time_stays_while_the_condition_does_not_flip()
    {
        var world = FormatWorld.Of(("pool.yaml", PoolKinds.Writers["IPAddressPool"]("office", "10.0.0.10-10.0.0.19", Old)));
        var (pool, first) = IpAddressPoolStatuses.Build(world.Snapshot.ForeignResources, world.Translation, world.Engine.Groups, world.Statistics, Now).Single();
        var written = pool with { Body = (System.Text.Json.Nodes.JsonObject)pool.Body.DeepClone() };
        written.Body["status"] = first.DeepClone();

        var (_, again) = IpAddressPoolStatuses.Build([written], world.Translation, world.Engine.Groups, world.Statistics, Now.AddHours(1)).Single();

        System.Text.Json.Nodes.JsonNode.DeepEquals(again, first).Should().BeTrue("an unchanged pool must not be written again");
    }
}
