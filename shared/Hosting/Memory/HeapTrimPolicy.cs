namespace Beacon.Hosting.Memory;

/// <summary>
/// When a node component gives its GC heap's unused memory back. After a burst (1,000 Services arriving) the GC keeps
/// the regions it grew, and an idle process collects too rarely to release them: the NodeAgent sat 10–15 MiB above its
/// steady state (docs/benchmarks.md, "Footprint"). A trim is a full compacting collection, milliseconds on these
/// heaps, so the policy asks for one only when the unused memory is <see cref="Threshold"/> above what the last trim
/// left, and at most once per <see cref="MinimumInterval"/>: a burst that lasts longer is trimmed again once it is over.
/// 4 MiB: with 1,000 Services a NodeAgent then trims about once a minute and stays under 40 MiB; at 6 Services it
/// trims once after start and never again (the floor covers its 2 MiB first generation).
/// </summary>
public sealed record HeapTrimPolicy
{
    public static readonly HeapTrimPolicy Default = new();

    /// <summary>Unused committed memory above the floor that is worth a full collection.</summary>
    public long Threshold { get; init; } = 4L * 1024 * 1024;

    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the trimmer looks at the heap.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <param name="current">This look's reading.</param>
    /// <param name="floor">Unused bytes the last trim left (0 before the first).</param>
    /// <param name="sinceLastTrim">Time since the last trim (<see cref="TimeSpan.MaxValue"/> before the first).</param>
    public bool ShouldTrim(HeapReading current, long floor, TimeSpan sinceLastTrim) =>
        current.UnusedBytes - floor >= Threshold && sinceLastTrim >= MinimumInterval;
}
