using Beacon.Contracts;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// Heartbeats heard, in arrival order with their arrival time, waiting for the agent loop. <see cref="Post"/> says whether
/// the loop must wake for this one: only when it tells something new (a new node or start, candidacy, subnets, link,
/// labels, leaving, or the first after a silence of more than <c>silence</c>: a peer or our own echo coming back after a
/// stall). A repeat waits for the loop's next wake (its own heartbeat, at most one interval later, or a peer's
/// expiry, before which the loop always drains this inbox): with 50 ms heartbeats and two peers that saves the loop
/// 60 wake-ups a second and changes no decision, because a repeat only moves a peer's expiry further out.
/// </summary>
/// <param name="silence">A gap longer than this makes the next heartbeat news (two heartbeat intervals).</param>
public sealed class HeartbeatInbox(TimeSpan silence)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Node, string Scope), (NodeHeartbeat Heartbeat, TimeSpan At)> _last = [];
    private List<HeardHeartbeat> _pending = [];
    private List<HeardHeartbeat> _draining = [];

    /// <summary>Queues <paramref name="heartbeat"/>; true when the loop should wake for it now.</summary>
    public bool Post(NodeHeartbeat heartbeat, string scope, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        lock (_gate)
        {
            var key = (heartbeat.Node, scope);
            var repeats = _last.TryGetValue(key, out var last) && at - last.At <= silence && RoutineHeartbeat.Repeats(last.Heartbeat, heartbeat);
            if (heartbeat.Leaving)
            {
                _last.Remove(key); // a restart after it is news again
            }
            else
            {
                _last[key] = (heartbeat, at);
            }

            _pending.Add(new HeardHeartbeat(heartbeat, scope, at));
            return !repeats;
        }
    }

    /// <summary>Whether anything is queued (a heartbeat that came in while the loop was deciding whether to wait for one).</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>Everything queued since the last call, oldest first; valid until the next call (the buffers are reused).</summary>
    public IReadOnlyList<HeardHeartbeat> Drain()
    {
        lock (_gate)
        {
            (_pending, _draining) = (_draining, _pending);
            _pending.Clear();
            return _draining;
        }
    }
}

/// <param name="At">When it arrived (the loop's clock): expiry counts from there, not from when the loop got to it.</param>
public readonly record struct HeardHeartbeat(NodeHeartbeat Heartbeat, string Scope, TimeSpan At);
