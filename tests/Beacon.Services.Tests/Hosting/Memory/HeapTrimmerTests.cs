using Beacon.Hosting.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Beacon.Services.Tests.Hosting.Memory;

public sealed class HeapTrimmerTests
{
    private const long MiB = 1024 * 1024;

    /// <summary>A heap whose readings the test sets; a trim leaves what <see cref="AfterTrim"/> says.</summary>
    private sealed class ScriptedHeap : IManagedHeap
    {
        public HeapReading Current { get; set; } = new(5 * MiB, 2 * MiB, 0);
        public HeapReading AfterTrim { get; set; } = new(3 * MiB, 2 * MiB, 0);
        public int Trims { get; private set; }

        /// <summary>Released on every read and after every trim: the service's looks and trims can be awaited.</summary>
        public SemaphoreSlim Looked { get; } = new(0);

        public SemaphoreSlim Trimmed { get; } = new(0);

        /// <summary>How many trims there had been when each look began.</summary>
        public List<int> TrimsAtEachLook { get; } = [];

        public HeapReading Read()
        {
            TrimsAtEachLook.Add(Trims);
            Looked.Release();
            return Current;
        }

        public HeapReading Trim()
        {
            Trims++;
            Current = AfterTrim;
            Trimmed.Release();
            return Current;
        }
    }

    private static (HeapTrimmer Trimmer, ScriptedHeap Heap, FakeTimeProvider Time, CollectorRegistry Registry) NewTrimmer()
    {
        var heap = new ScriptedHeap();
        var time = new FakeTimeProvider();
        var registry = Metrics.NewCustomRegistry();
        var trimmer = new HeapTrimmer(heap, HeapTrimPolicy.Default, time, Metrics.WithCustomRegistry(registry), NullLogger<HeapTrimmer>.Instance);
        return (trimmer, heap, time, registry);
    }

    [Fact]
    public void A_burst_is_trimmed_and_counted()
    {
        var (trimmer, heap, _, registry) = NewTrimmer();
        trimmer.Check().Should().BeFalse("a steady heap with its allocation budget is not worth a full collection");

        heap.Current = new HeapReading(23 * MiB, 8 * MiB, MiB / 2);
        trimmer.Check().Should().BeTrue("15 MiB are committed for nothing");

        heap.Trims.Should().Be(1);
        heap.Current.CommittedBytes.Should().Be(3 * MiB);
        Counter(registry).Should().Be(1);
    }

    [Fact]
    public void What_a_trim_cannot_give_back_is_not_trimmed_again_and_again()
    {
        var (trimmer, heap, time, _) = NewTrimmer();
        // Memory the collector keeps whatever is done (pinned buffers, say): a trim only gets 23 down to 20 MiB.
        heap.AfterTrim = new HeapReading(20 * MiB, 8 * MiB, 0);
        heap.Current = new HeapReading(23 * MiB, 8 * MiB, 0);
        trimmer.Check().Should().BeTrue();

        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            trimmer.Check().Should().BeFalse();
        }

        heap.Trims.Should().Be(1);
    }

    [Fact]
    public void A_burst_that_goes_on_is_trimmed_again_after_the_minimum_interval()
    {
        var (trimmer, heap, time, _) = NewTrimmer();
        heap.Current = new HeapReading(23 * MiB, 8 * MiB, 0);
        trimmer.Check().Should().BeTrue();

        heap.Current = new HeapReading(25 * MiB, 8 * MiB, 0);
        time.Advance(TimeSpan.FromSeconds(5));
        trimmer.Check().Should().BeFalse("the last trim was 5 s ago");
        time.Advance(TimeSpan.FromSeconds(5));
        trimmer.Check().Should().BeTrue();
        heap.Trims.Should().Be(2);
    }

    [Fact]
    public async Task The_running_service_looks_at_the_heap_on_its_interval()
    {
        var (trimmer, heap, time, _) = NewTrimmer();
        using var disposing = trimmer;
        heap.Current = new HeapReading(23 * MiB, 8 * MiB, 0);
        // Nothing is looked at during start; the first look, one interval later, trims at once.
        await trimmer.StartAsync(CancellationToken.None);
        heap.Looked.CurrentCount.Should().Be(0);
        time.Advance(HeapTrimPolicy.Default.CheckInterval);
        (await heap.Trimmed.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        heap.Looked.CurrentCount.Should().Be(1);
        await heap.Looked.WaitAsync();

        // Another burst right after: the next trim is due the minimum interval (10 s) after the first, at the second look.
        heap.Current = new HeapReading(40 * MiB, 8 * MiB, 0);
        time.Advance(HeapTrimPolicy.Default.CheckInterval);
        (await heap.Looked.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the first look after the burst is due");
        heap.Trims.Should().Be(1, "the last trim was 5 s ago");
        time.Advance(HeapTrimPolicy.Default.CheckInterval);
        (await heap.Trimmed.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the second look trims");

        await trimmer.StopAsync(CancellationToken.None);
        heap.TrimsAtEachLook.Should().Equal([0, 1, 1], "only the first look and the one 10 s after it trimmed");
        heap.Trims.Should().Be(2);
    }

    private static double Counter(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return ExpositionParser.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()))
            .Single(f => f.Name == "beacon_heap_trims_total").Samples.Single().Value;
    }
}
