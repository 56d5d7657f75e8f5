using System.Collections.Concurrent;
using System.Globalization;
using Beacon.Kube.Client;
using Beacon.Kube.Informers;
using Beacon.Kube.Models;
using Beacon.KubeApiServer;
using Microsoft.Extensions.Logging;

namespace Beacon.Kube.Tests;

public sealed class InformerTests
{
    private static readonly InformerOptions FastRetry = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Lists_existing_objects_then_delivers_watch_deltas_in_order()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "existing"));
        await using var run = InformerRun.Start(cluster, FastRetry);
        await run.Informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        run.Informer.HasSynced.Should().BeTrue();
        run.Informer.Get("a", "existing").Should().NotBeNull();

        var created = await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "new"));
        created.Metadata.Labels = new() { ["x"] = "1" };
        await cluster.Writes.UpdateAsync(created);
        await cluster.Writes.DeleteAsync("a", "existing");

        await Eventually.TrueAsync(() => run.Events.Count == 4, "four events were delivered");
        run.Events.Select(e => $"{e.Type} {e.Object.Key}").Should().Equal(
            "Added a/existing", "Added a/new", "Updated a/new", "Deleted a/existing");
        run.Events[2].OldObject!.Metadata.Labels.Should().BeNull("Updated carries the previous object");
        run.Informer.List().Select(s => s.Key).Should().Equal("a/new");
        run.Informer.Get("a", "new")!.Metadata.Labels!["x"].Should().Be("1");
    }

    [Fact]
    public async Task Bookmarks_advance_the_resource_version_without_object_events()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        var nodes = new Informer<Node>(ListWatches.Nodes(cluster.Kubernetes));
        var events = 0;
        nodes.AddHandler((_, _) =>
        {
            Interlocked.Increment(ref events);
            return ValueTask.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        var running = nodes.RunAsync(stop.Token);
        await nodes.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var listed = long.Parse(nodes.LastResourceVersion!, CultureInfo.InvariantCulture);

        // Writes to other resources move the global version; only a bookmark can tell this informer about it.
        for (var i = 0; i < 5; i++)
        {
            cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("other", $"s{i}"));
        }

        var target = cluster.Server.Store.CurrentVersion;
        await Eventually.TrueAsync(() => long.Parse(nodes.LastResourceVersion!, CultureInfo.InvariantCulture) >= target, "a bookmark advanced the resourceVersion");
        target.Should().BeGreaterThan(listed);
        Volatile.Read(ref events).Should().Be(0);
        nodes.ListCount.Should().Be(1);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Resumes_after_a_dropped_watch_without_missing_or_repeating_events()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var run = InformerRun.Start(cluster, FastRetry);
        await run.Informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "before"));
        await Eventually.TrueAsync(() => run.Events.Count == 1, "the first event arrived");

        // Keep the informer disconnected while changes happen, so they can only arrive by replay from its version.
        cluster.Server.Faults.FailNext(int.MaxValue, "watch=true");
        cluster.Server.Faults.DropWatches().Should().Be(1);
        for (var i = 0; i < 5; i++)
        {
            cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", $"during-{i}"));
        }

        cluster.Server.Faults.ClearFailures();

        await Eventually.TrueAsync(() => run.Events.Count == 6, "the missed events were replayed");
        await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "after"));
        await Eventually.TrueAsync(() => run.Events.Count == 7, "the resumed watch delivers new events");

        run.Events.Select(e => e.Object.Metadata.Name).Should().Equal("before", "during-0", "during-1", "during-2", "during-3", "during-4", "after");
        run.Events.Should().OnlyContain(e => e.Type == InformerEventType.Added);
        run.Informer.ListCount.Should().Be(1, "a dropped connection resumes the watch; it does not relist");
        run.Informer.WatchCount.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task A_watch_the_server_closes_before_its_first_event_resumes_from_the_same_version_without_relisting()
    {
        // KubernetesClient 21.0.8 throws HttpRequestException from the enumerator for such a watch (issue #11).
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMinutes(5) });
        var logger = new RecordingLogger();
        await using var run = InformerRun.Start(cluster, FastRetry, logger);
        await run.Informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var listedAt = run.Informer.LastResourceVersion;

        for (var dropped = 0; dropped < 3;)
        {
            // Only the server knows when the informer's watch is open; ask until it has closed one.
            dropped += cluster.Server.Faults.DropWatches();
            await Task.Delay(10);
        }

        try
        {
            await Eventually.TrueAsync(() => run.Informer.ClosedBeforeFirstEvent >= 3, "the informer saw the three closed watches");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} closed={run.Informer.ClosedBeforeFirstEvent} watches={run.Informer.WatchCount} lists={run.Informer.ListCount} log: {string.Join(" || ", logger.Entries.Select(x => x.Level + " " + x.Message))}");
        }
        run.Informer.LastResourceVersion.Should().Be(listedAt, "nothing happened, so it resumes from the listed version");
        await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "after"));

        await Eventually.TrueAsync(() => run.Events.Count == 1, "the resumed watch delivers new events");
        run.Events.Single().Type.Should().Be(InformerEventType.Added);
        run.Informer.ListCount.Should().Be(1, "a closed watch resumes; it does not relist");
        logger.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning, "the server ending a watch is not an error");
    }

    [Fact]
    public async Task Relists_on_410_Gone_and_emits_the_changes_it_missed()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "deleted-while-away"));
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "changed-while-away"));
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "untouched"));
        await using var run = InformerRun.Start(cluster, FastRetry);
        await run.Informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => run.Events.Count == 3, "initial adds were delivered");
        // The initial adds come from the list; a watch still on its way would subscribe after the drop below and see
        // the changes live, with no 410 and no relist to test.
        await Eventually.TrueAsync(() => cluster.Server.Store.OpenWatches == 1, "the informer's watch is open");

        cluster.Server.Faults.FailNext(int.MaxValue, "watch=true");
        cluster.Server.Faults.DropWatches().Should().Be(1);
        var services = KubeApiTestServer.Info(KubeResources.Services);
        cluster.Server.Store.Delete(services, "a", "deleted-while-away");
        cluster.Server.Store.Patch(services, "a", "changed-while-away", System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"labels":{"v":"2"}}}""")!, statusOnly: false);
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "added-while-away"));
        cluster.Server.Faults.ExpireResourceVersions();
        // The resumed watch gets its 410 in the stream, which the library hands only to onError before ending normally.
        cluster.Server.Faults.ClearFailures();

        await Eventually.TrueAsync(() => run.Informer.ListCount == 2 && run.Events.Count == 6, "the informer relisted and caught up");
        run.Events.Skip(3).Select(e => $"{e.Type} {e.Object.Metadata.Name}").Should().BeEquivalentTo(
            "Deleted deleted-while-away", "Updated changed-while-away", "Added added-while-away");
        run.Informer.List().Select(s => s.Metadata.Name).Should().BeEquivalentTo("changed-while-away", "untouched", "added-while-away");
        run.Informer.Get("a", "changed-while-away")!.Metadata.Labels!["v"].Should().Be("2");

        await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "after-relist"));
        await Eventually.TrueAsync(() => run.Informer.Get("a", "after-relist") is not null, "the watch continues after the relist");
    }

    [Fact]
    public async Task Backs_off_while_the_server_fails_then_recovers()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer("a", "one"));
        cluster.Server.Faults.FailNext(5);
        var started = DateTime.UtcNow;

        await using var run = InformerRun.Start(cluster, new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(40), MaxBackoff = TimeSpan.FromSeconds(2) });
        await run.Informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(20));

        // Five failures with doubling delays of at least 20, 40, 80, 160, 320 ms (jitter keeps at least half).
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromMilliseconds(600));
        cluster.Server.Faults.PendingFailures.Should().Be(0);
        run.Informer.Get("a", "one").Should().NotBeNull();
    }

    [Fact]
    public async Task A_failing_handler_does_not_stop_delivery()
    {
        await using var cluster = await TestCluster.StartAsync();
        var informer = new Informer<Service>(ListWatches.Services(cluster.Kubernetes), FastRetry);
        var seen = new ConcurrentQueue<string>();
        informer.AddHandler((e, _) => e.Object.Metadata.Name == "bad" ? throw new InvalidOperationException("consumer bug") : ValueTask.CompletedTask);
        informer.AddHandler((e, _) =>
        {
            seen.Enqueue(e.Object.Metadata.Name!);
            return ValueTask.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);

        await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "bad"));
        await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("a", "good"));

        await Eventually.TrueAsync(() => seen.Count == 2, "both events reached the second handler");
        seen.Should().Equal("bad", "good");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(800), new Random(7));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        double[] ceilings = [100, 200, 400, 800, 800, 800];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i].Should().BeInRange(ceilings[i] / 2, ceilings[i]);
        }

        backoff.Reset();
        backoff.Next().TotalMilliseconds.Should().BeLessThanOrEqualTo(100);
    }

    /// <summary>An informer running against the cluster, recording every event its handler sees.</summary>
    private sealed class InformerRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<InformerEvent<Service>> _events = new();
        private Task _running = Task.CompletedTask;

        private InformerRun(Informer<Service> informer)
        {
            Informer = informer;
        }

        public Informer<Service> Informer { get; }

        public IReadOnlyList<InformerEvent<Service>> Events => [.. _events];

        public static InformerRun Start(TestCluster cluster, InformerOptions options, ILogger? logger = null)
        {
            var run = new InformerRun(new Informer<Service>(ListWatches.Services(cluster.Kubernetes), options, logger));
            run.Informer.AddHandler((e, _) =>
            {
                run._events.Enqueue(e);
                return ValueTask.CompletedTask;
            });
            run._running = run.Informer.RunAsync(run._stop.Token);
            return run;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
