namespace Beacon.Announcer.Convergence;

/// <summary>
/// When the converger may start its next apply (pure: times are offsets on one clock). A lone change, long after the
/// previous apply, is applied at once (a failover must not wait). A change arriving during an apply or soon after it
/// is part of a burst: the next apply waits until no change came for <see cref="Lull"/> (at most <see cref="MaxLull"/>
/// after the first unapplied change) and, so that a steady trickle cannot keep the daemon reconfiguring back to back,
/// until <see cref="Spacing"/> times the previous apply's duration has passed since it ended (at most
/// <see cref="MaxGap"/>). The first does it for a burst that arrives at once; the second for a trickle, as a 1,000-Service
/// add spread by the Allocator over many seconds: applies that took 0.4 s each ran back to back, 116 per node.
/// A change therefore waits at most the previous apply's duration plus the larger of <see cref="MaxLull"/> and
/// <see cref="MaxGap"/>; additions and withdrawals alike.
/// </summary>
public sealed record BurstPacing(TimeSpan Window, TimeSpan Lull, TimeSpan MaxLull, double Spacing, TimeSpan MaxGap)
{
    /// <summary>100 ms window, 20 ms lull (at most 250 ms), 3 × the last apply's duration apart (at most 1 s): the daemon reconfigures at most a quarter of the time.</summary>
    public static BurstPacing Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(250), 3, TimeSpan.FromSeconds(1));

    /// <summary>The least time between the end of an apply that took <paramref name="lastDuration"/> and the next one during a burst.</summary>
    public TimeSpan Gap(TimeSpan lastDuration) =>
        TimeSpan.FromTicks((long)Math.Min(Math.Max(lastDuration.Ticks, 0) * Spacing, MaxGap.Ticks));

    /// <summary>
    /// The earliest time the next apply may start. <paramref name="lastEnd"/>/<paramref name="lastDuration"/>: the
    /// previous apply (null before the first); <paramref name="firstPending"/>: the first change not in any started
    /// apply; <paramref name="latest"/>: the most recent change.
    /// </summary>
    public TimeSpan NextApply(TimeSpan? lastEnd, TimeSpan lastDuration, TimeSpan firstPending, TimeSpan latest)
    {
        if (lastEnd is not { } end)
        {
            return firstPending;
        }

        var gap = Gap(lastDuration);
        if (firstPending - end >= (gap > Window ? gap : Window))
        {
            return firstPending;
        }

        var quiet = latest + Lull;
        var cap = firstPending + MaxLull;
        var settled = quiet < cap ? quiet : cap;
        var spaced = end + gap;
        return settled > spaced ? settled : spaced;
    }
}
