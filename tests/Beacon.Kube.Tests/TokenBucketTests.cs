using System.Diagnostics;
using Beacon.Kube.Client;
using Beacon.Kube.Library;
using k8s;

namespace Beacon.Kube.Tests;

public sealed class TokenBucketTests
{
    [Fact]
    public void Allows_a_burst_then_spaces_requests_at_the_rate()
    {
        var clock = new SteppingClock();
        var bucket = new TokenBucket(qps: 10, burst: 3, clock);

        Enumerable.Range(0, 3).Select(_ => bucket.Reserve()).Should().OnlyContain(w => w == TimeSpan.Zero);
        bucket.Reserve().Should().BeCloseTo(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1));
        bucket.Reserve().Should().BeCloseTo(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1), "waiters queue behind each other");

        clock.Advance(TimeSpan.FromSeconds(10));
        Enumerable.Range(0, 3).Select(_ => bucket.Reserve()).Should().OnlyContain(w => w == TimeSpan.Zero, "tokens refill up to the burst, not beyond");
        bucket.Reserve().Should().BeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task The_client_never_exceeds_its_qps_against_the_server()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var limited = KubeClients.Create(new k8s.KubernetesClientConfiguration { Host = cluster.Server.BaseAddress.ToString() }, qps: 20, burst: 5);
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => limited.CoreV1.ListServiceForAllNamespacesAsync()));

        // 5 immediately, the other 20 at 20/s: at least ~1 s.
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900));
        cluster.Server.Requests.Count("list", "services").Should().Be(25);
    }

    [Fact]
    public void Invalid_rates_are_rejected()
    {
        var zeroRate = () => new TokenBucket(0, 1);
        var zeroBurst = () => new TokenBucket(1, 0);

        zeroRate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*QPS must be positive*");
        zeroBurst.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Burst must be at least 1*");
    }

    /// <summary>A monotonic clock that only moves when told to.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
