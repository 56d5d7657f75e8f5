namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// One process over a measured window: CPU as a percentage of one core, RSS at the end, the busiest threads, and thread
/// wake-ups per second (by thread name; threads that ended during the window are not counted).
/// </summary>
internal sealed record UsageWindow(string Process, double CpuPercent, double RssMib, IReadOnlyList<(string Thread, double CpuPercent)> Threads,
    IReadOnlyList<(string Thread, double PerSecond)> Wakeups)
{
    /// <summary>The highest RSS seen over the window where it was sampled (else the RSS at the end).</summary>
    public double RssPeakMib { get; init; } = RssMib;

    public static UsageWindow? Between(string process, ProcessUsage? before, ProcessUsage? after, TimeSpan window)
    {
        if (before is null || after is null || before.Pid != after.Pid)
        {
            return null; // the process ended or restarted during the window
        }

        double Percent(long ticks) => ticks / ProcessUsage.TicksPerSecond / window.TotalSeconds * 100;
        var threads = after.TicksByThread
            .Select(t => (t.Key, Percent(t.Value - before.TicksByThread.GetValueOrDefault(t.Key))))
            .Where(t => t.Item2 > 0)
            .OrderByDescending(t => t.Item2)
            .ToList();
        var wakeups = after.WakeupsByThread
            .Select(t => (t.Key, Math.Max(0, t.Value - before.WakeupsByThread.GetValueOrDefault(t.Key)) / window.TotalSeconds))
            .Where(t => t.Item2 > 0)
            .OrderByDescending(t => t.Item2)
            .ToList();
        return new UsageWindow(process, Percent(after.CpuTicks - before.CpuTicks), after.RssKib / 1024.0, threads, wakeups);
    }
}
