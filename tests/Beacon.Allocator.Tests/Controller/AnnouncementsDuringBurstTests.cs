using System.Collections.Concurrent;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Contracts;
using Beacon.Kube.Models;
using static Beacon.Allocator.Tests.KubeObjects;
using ContractKey = Beacon.Contracts.ServiceKey;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>
/// Nodes announce a Service as soon as its desired state is on the bus, while the rest of a burst is still arriving
/// (here in chunks of 100, as a watch delivers them). Every Service of the burst is published before any of them is
/// reconciled again for its announcers, and once the burst has drained every announcement received during it shows in
/// the Services' announcing-nodes annotation.
/// </summary>
public sealed class AnnouncementsDuringBurstTests
{
    private const int Burst = 1000;
    private const int Chunk = 100;
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], true);

    [Fact]
    public async Task Every_Service_of_a_burst_is_published_before_announcements_are_reconciled_and_all_of_them_show_after_it()
    {
        var source = new InMemoryAllocatorSource();
        source.GroupObjects["default"] = Group("default", "10.0.0.0/16", "10.0.0.1-10.0.255.254");
        var queue = new WorkQueue();
        var tracker = new AnnouncementTracker();
        var keys = Enumerable.Range(0, Burst).Select(i => $"apps/s{i:D4}").ToList();
        void Queue(int chunk)
        {
            foreach (var key in keys.Skip(chunk * Chunk).Take(Chunk))
            {
                source.ServiceObjects[key] = Service(key[5..], ns: "apps");
                queue.Add(key);
            }
        }

        // The next chunk arrives while the last Service of this one is being published: the queue never runs dry.
        void Arrived(AllocationChanged change)
        {
            var index = keys.IndexOf(change.Service.ToString());
            if (index % Chunk == Chunk - 1 && index + 1 < Burst)
            {
                Queue((index + 1) / Chunk);
            }
        }

        // What the announcement subscription does on the bus's threads: two nodes announce each Service published.
        var sink = new AnnouncingSink(Arrived, change =>
        {
            foreach (var node in new[] { "n1", "n2" })
            {
                if (tracker.Record(new Announcement(node, change.Service, "10.0.0.1", "kube-lb0", AnnouncementRole.Member, "test", DateTimeOffset.UnixEpoch)))
                {
                    queue.AddTrailing(change.Service.ToString());
                }
            }
        });
        var writer = new AnnotationRecordingWriter();
        var loop = new AllocationLoop(source, writer, sink, Classes, tracker, queue, new CollectingLogger(), TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var term = Task.Run(() => loop.RunTermAsync(stop.Token));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!loop.Converged && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Queue(0);

        while (!keys.All(k => writer.Last.TryGetValue(k, out var nodes) && nodes == "n1,n2") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        keys.Where(k => writer.Last.GetValueOrDefault(k) != "n1,n2").Should().BeEmpty("every announcement received during the burst shows once it has drained");
        var firstRepeat = writer.Order.Select((key, index) => (key, index)).GroupBy(w => w.key).Where(g => g.Count() > 1).Min(g => g.Skip(1).First().index);
        firstRepeat.Should().BeGreaterThanOrEqualTo(Burst, "every Service is published and written once before any is reconciled again for its announcers");
        sink.Published.Should().HaveCount(Burst);
        term.IsCompleted.Should().BeFalse(term.Exception?.ToString());
        await stop.CancelAsync();
        await term.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private sealed class AnnouncingSink(Action<AllocationChanged> arrived, Action<AllocationChanged> published) : IDesiredStateSink
    {
        public ConcurrentDictionary<ContractKey, AllocationChanged> Published { get; } = new();

        public Task BeginTermAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task TermConvergedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EndTermAsync() => Task.CompletedTask;

        public Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken)
        {
            if (Published.TryAdd(change.Service, change))
            {
                arrived(change);
                // Off the loop's thread, as the bus delivers them.
                _ = Task.Run(() => published(change), CancellationToken.None);
            }

            return Task.CompletedTask;
        }

        public Task ReleaseAsync(ContractKey service, CancellationToken cancellationToken)
        {
            Published.TryRemove(service, out _);
            return Task.CompletedTask;
        }
    }

    /// <summary>The announcing-nodes annotation of each Service's last write, and the order of writes.</summary>
    private sealed class AnnotationRecordingWriter : IAllocationWriter
    {
        private readonly RecordingAllocationWriter inner = new();

        public ConcurrentDictionary<string, string?> Last { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Order { get; } = new();

        public Task<ServiceWriteResult?> WriteServiceAsync(Service current, ServiceDecision decision, CancellationToken cancellationToken)
        {
            Order.Enqueue(current.Key);
            Last[current.Key] = decision.Annotations.GetValueOrDefault(BeaconAnnotations.AnnouncingNodes);
            return inner.WriteServiceAsync(current, decision, cancellationToken);
        }

        public Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken) =>
            inner.WriteGroupStatusAsync(group, status, cancellationToken);

        public Task ForgetServiceAsync(string key, CancellationToken cancellationToken) => inner.ForgetServiceAsync(key, cancellationToken);

        public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }
}
