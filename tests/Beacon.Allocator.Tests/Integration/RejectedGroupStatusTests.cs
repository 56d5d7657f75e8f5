namespace Beacon.Allocator.Tests.Integration;

/// <summary>A Kubernetes user sees why a ServiceGroup is not used on the object itself, not only in the Allocator's log.</summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class RejectedGroupStatusTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_overlapping_or_reversed_group_gets_a_Ready_False_condition_naming_the_field_and_the_others_keep_serving()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("lan", "192.168.5.0/24", "192.168.5.10-192.168.5.20");
        // Same-second creation: the older-wins rule falls back to the name, so "lan" keeps its range either way.
        cluster.SeedGroup("overlapping", "192.168.5.0/24", "192.168.5.15-192.168.5.30");
        cluster.SeedGroup("reversed", "192.168.6.0/24", "192.168.6.20-192.168.6.10");
        cluster.SeedService("web");
        cluster.StartAllocator("a");

        string Ready(string group) =>
            cluster.Group(group)?.Status?.Conditions?.SingleOrDefault(c => c.Type == "Ready") is { } c ? $"{c.Status}/{c.Reason}: {c.Message}" : "";

        (await AllocatorCluster.EventuallyAsync(() => Ready("overlapping"), r => r.Length > 0, Converge, r => r + "\n" + cluster.Transcripts()))
            .Should().StartWith("False/Invalid: spec.local.v4pool.pool: ").And.Contain("overlaps").And.Contain("'lan'");
        (await AllocatorCluster.EventuallyAsync(() => Ready("reversed"), r => r.Length > 0, Converge, r => r + "\n" + cluster.Transcripts()))
            .Should().StartWith("False/Invalid: spec.local.v4pool.pool: ");
        (await AllocatorCluster.EventuallyAsync(() => Ready("lan"), r => r.Length > 0, Converge, r => r + "\n" + cluster.Transcripts()))
            .Should().StartWith("True/Valid");
        var address = await AllocatorCluster.EventuallyAsync(() => cluster.Service("web") is { } s ? AllocatorCluster.AddressOf(s) : null,
            a => a is not null, Converge, a => a + "\n" + cluster.Transcripts());
        AllocatorCluster.InRange(address!, "192.168.5.10", "192.168.5.20").Should().BeTrue();
    }
}
