using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Beacon.Hosting.Memory;

/// <summary>
/// Looks at the GC heap every <see cref="HeapTrimPolicy.CheckInterval"/> and trims it when <see cref="HeapTrimPolicy"/>
/// says so, so a node component returns to its steady-state memory after a burst instead of keeping the peak.
/// </summary>
public sealed partial class HeapTrimmer(IManagedHeap heap, HeapTrimPolicy policy, TimeProvider time, IMetricFactory metrics, ILogger<HeapTrimmer> logger)
    : BackgroundService
{
    private readonly Counter _trims = metrics.CreateCounter("beacon_heap_trims_total",
        "Full compacting collections that gave the GC heap's unused memory back to the OS after a burst.");

    // Created with the service, so its interval runs from construction (a start on a pool thread cannot miss a tick).
    private readonly PeriodicTimer _timer = new(policy.CheckInterval, time);
    private long _floor;
    private DateTimeOffset? _lastTrim;

    /// <summary>One look at the heap: trims it if the policy says so, and says whether it did.</summary>
    public bool Check()
    {
        var current = heap.Read();
        var now = time.GetUtcNow();
        var sinceLastTrim = _lastTrim is { } last ? now - last : TimeSpan.MaxValue;
        var trim = policy.ShouldTrim(current, _floor, sinceLastTrim);
        if (trim)
        {
            var after = heap.Trim();
            _floor = after.UnusedBytes;
            _lastTrim = now;
            _trims.Inc();
            LogTrimmed(logger, current.CommittedBytes / Mebibyte, after.CommittedBytes / Mebibyte, (after.HeapSizeBytes - after.FragmentedBytes) / Mebibyte);
        }

        return trim;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The first look is one interval in, not during start.
            while (await _timer.WaitForNextTickAsync(stoppingToken))
                Check();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    private const double Mebibyte = 1024 * 1024;

    [LoggerMessage(Level = LogLevel.Information, Message = "Gave the GC heap's unused memory back after a burst: committed {BeforeMiB:0.0} → {AfterMiB:0.0} MiB, {LiveMiB:0.0} MiB in use")]
    private static partial void LogTrimmed(ILogger logger, double beforeMiB, double afterMiB, double liveMiB);
}
