using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>
/// A burst of Services (here 1,000, four batches) brings the ServiceGroup's status up to date when the burst has
/// drained, not after every batch: each pass reads every group, pool and Service, which made big bursts quadratic.
/// </summary>
public sealed class GroupStatusBurstTests
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], true);

    [Fact]
    public async Task A_burst_of_Services_writes_the_group_status_once_at_its_end_with_every_address_counted()
    {
        var source = new InMemoryAllocatorSource();
        source.GroupObjects["default"] = Group("default", "10.0.0.0/16", "10.0.0.1-10.0.255.254");
        var writer = new GroupStatusCountingWriter();
        var queue = new WorkQueue();
        var loop = new AllocationLoop(source, writer, new SubjectCheckingSink(), Classes, new AnnouncementTracker(), queue, new CollectingLogger(),
            new FrozenTime());
        using var stop = new CancellationTokenSource();
        var term = Task.Run(() => loop.RunTermAsync(stop.Token));

        // The term's first pass (no Services yet) writes the group's status; hold it there while the burst is queued,
        // so the batches that follow are the same in every run.
        await writer.FirstGroupStatus.WaitAsync(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 1000; i++)
        {
            source.ServiceObjects[$"apps/s{i:D4}"] = Service($"s{i:D4}", ns: "apps");
            queue.Add($"apps/s{i:D4}");
        }

        writer.Release.SetResult();
        await writer.AddressOfAsync("apps/s0999").WaitAsync(TimeSpan.FromSeconds(20));
        var group = source.GroupObjects["default"];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (group.Status?.Pools?.Sum(p => p.Used) != 1000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        group.Status!.Pools!.Sum(p => p.Used).Should().Be(1000, "the status counts every address once the burst has drained");
        writer.GroupStatusWrites.Should().Be(2, "one write for the term's first pass and one when the burst drained, none per batch (the clock stands still)");
        term.IsCompleted.Should().BeFalse(term.Exception?.ToString());
        await stop.CancelAsync();
        await term.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>A clock that never moves: only the end of a burst, never the interval, can make the loop write group status.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        private readonly DateTimeOffset now = DateTimeOffset.UnixEpoch.AddYears(56);

        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class GroupStatusCountingWriter : IAllocationWriter
    {
        private readonly RecordingAllocationWriter inner = new();
        private readonly TaskCompletionSource first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int writes;

        public Task FirstGroupStatus => first.Task;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int GroupStatusWrites => Volatile.Read(ref writes);

        public Task<string> AddressOfAsync(string key) => inner.AddressOfAsync(key);

        public Task<ServiceWriteResult?> WriteServiceAsync(Service current, ServiceDecision decision, CancellationToken cancellationToken) =>
            inner.WriteServiceAsync(current, decision, cancellationToken);

        public async Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref writes);
            first.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            await inner.WriteGroupStatusAsync(group, status, cancellationToken);
        }

        public Task ForgetServiceAsync(string key, CancellationToken cancellationToken) => inner.ForgetServiceAsync(key, cancellationToken);

        public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }
}
