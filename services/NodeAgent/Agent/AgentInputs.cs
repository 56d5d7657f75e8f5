using System.Collections.Concurrent;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// The inputs waiting for the agent loop, and the loop's wait for them. The loop runs on a thread of its own and sleeps
/// in one timed wait on that thread until the next deadline (its heartbeat, a peer's expiry, a refresh) or until an
/// input is posted: the deadline costs no runtime timer (no wake of the timer thread to arm it and again to fire it)
/// and neither a deadline nor an input costs a hop through the thread pool (issue #15 item 1: at idle the agent wakes
/// 20 times a second for its own heartbeats, and each hop was a further thread woken).
/// </summary>
public sealed class AgentInputs
{
    private readonly ConcurrentQueue<AgentInput> _queue = new();

    // No spinning before sleeping: nearly every wait lasts until a deadline tens of milliseconds away. Never disposed:
    // producers (bus events, the kernel monitor) may still post during shutdown, and without its WaitHandle (never asked
    // for) the event holds nothing to release.
    private readonly ManualResetEventSlim _signal = new(initialState: false, spinCount: 0);

    /// <summary>Queues <paramref name="input"/> and wakes the loop.</summary>
    public void Post(AgentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _queue.Enqueue(input);
        _signal.Set();
    }

    /// <summary>Wakes the loop without an input (news in the <see cref="HeartbeatInbox"/>, or stopping).</summary>
    public void Wake() => _signal.Set();

    public bool TryTake(out AgentInput input) => _queue.TryDequeue(out input!);

    /// <summary>
    /// Blocks until something is posted, <see cref="Wake"/> is called or <paramref name="wakeAt"/> (on
    /// <paramref name="now"/>'s clock) has come. Whatever was posted before this returns is seen by the next
    /// <see cref="TryTake"/>.
    /// </summary>
    public void WaitUntil(TimeSpan wakeAt, Func<TimeSpan> now)
    {
        ArgumentNullException.ThrowIfNull(now);
        for (var delay = wakeAt - now(); delay > TimeSpan.Zero; delay = wakeAt - now())
        {
            // Milliseconds rounded up: waking a fraction early would only cost a second wait.
            var timeout = delay >= TimeSpan.FromDays(1) ? Timeout.Infinite : (int)Math.Ceiling(delay.TotalMilliseconds);
            if (_signal.Wait(timeout))
            {
                break;
            }
        }

        // Cleared before the caller drains: a post racing with this is either drained now or wakes the next wait.
        _signal.Reset();
    }
}
