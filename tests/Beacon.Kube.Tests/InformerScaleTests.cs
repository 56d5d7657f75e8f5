using System.Diagnostics;
using Beacon.Kube.Client;
using Beacon.Kube.Informers;
using Beacon.Kube.Models;

namespace Beacon.Kube.Tests;

public sealed class InformerScaleTests
{
    [Fact]
    public async Task Thousands_of_objects_sync_in_pages_and_concurrent_writes_are_all_seen_once()
    {
        await using var cluster = await TestCluster.StartAsync();
        for (var i = 0; i < 3000; i++)
        {
            cluster.Server.Seed(KubeResources.Services, TestCluster.LoadBalancer($"ns{i % 10}", $"seeded-{i}"));
        }

        var informer = new Informer<Service>(ListWatches.Services(cluster.Kubernetes), new InformerOptions { PageSize = 500 });
        var added = 0;
        informer.AddHandler((e, _) =>
        {
            if (e.Type == InformerEventType.Added)
            {
                Interlocked.Increment(ref added);
            }

            return ValueTask.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var syncTime = watch.Elapsed;

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await cluster.Writes.CreateAsync(TestCluster.LoadBalancer("live", $"created-{i}"), ct));
        await Eventually.TrueAsync(() => informer.Count == 3500, "every created service reached the cache", TimeSpan.FromSeconds(60));

        Volatile.Read(ref added).Should().Be(3500, "each object is announced exactly once");
        cluster.Server.Requests.Count("list", "services").Should().Be(6, "3,000 objects in pages of 500");
        syncTime.Should().BeLessThan(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
