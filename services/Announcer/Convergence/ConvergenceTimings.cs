namespace Beacon.Announcer.Convergence;

/// <summary>How persistently the announcer pushes the desired set into its mode.</summary>
/// <param name="FirstRetry">Wait after the first failed apply; doubles per failure up to <paramref name="MaxRetry"/>.</param>
/// <param name="Resync">
/// Re-apply the current set this often even without changes, so a daemon that restarted (and forgot routes added
/// at run time, as FRR and GoBGP do) or was edited by hand converges again.
/// </param>
public sealed record ConvergenceTimings(TimeSpan FirstRetry, TimeSpan MaxRetry, TimeSpan Resync)
{
    public static ConvergenceTimings Default { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

    /// <summary>The wait after <paramref name="failures"/> consecutive failures (1 = first failure).</summary>
    public TimeSpan RetryAfter(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(FirstRetry.Ticks * factor, MaxRetry.Ticks));
    }
}
