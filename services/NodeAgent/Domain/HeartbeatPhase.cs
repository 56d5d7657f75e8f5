namespace Beacon.NodeAgent.Domain;

/// <summary>
/// When the next routine heartbeat goes: at the next multiple of the interval on the wall clock, so the agents of a
/// cluster beat in step (as far as their clocks agree). Their heartbeats then reach each agent together with its own
/// echo, in fewer socket reads and thread wake-ups than beats spread over the interval (issue #15 item 1: at idle
/// the wake-ups, not the work, are the agent's CPU). Clocks that disagree only lose that saving: the gap between two
/// beats of one agent is never longer than the interval, which is all that expiry relies on.
/// </summary>
public static class HeartbeatPhase
{
    /// <summary>From <paramref name="wallClock"/> to the next multiple of <paramref name="interval"/>: more than zero, at most one interval.</summary>
    public static TimeSpan UntilNext(DateTimeOffset wallClock, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return TimeSpan.FromTicks(interval.Ticks - (wallClock.UtcTicks % interval.Ticks));
    }
}
