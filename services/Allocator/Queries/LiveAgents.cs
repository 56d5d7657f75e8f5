using Beacon.Contracts;

namespace Beacon.Allocator.Queries;

/// <summary>The last heartbeat of every node agent, so explain can say whether any agent could announce an address. Thread-safe.</summary>
internal sealed class LiveAgents(TimeProvider time)
{
    /// <summary>Agents send a cluster-wide heartbeat every second by default; one silent this long is certainly dead.</summary>
    public static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly Dictionary<string, (NodeHeartbeat Heartbeat, DateTimeOffset At)> last = new(StringComparer.Ordinal);

    public void Record(NodeHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        lock (gate)
        {
            if (heartbeat.Leaving)
            {
                last.Remove(heartbeat.Node);
            }
            else
            {
                last[heartbeat.Node] = (heartbeat, time.GetUtcNow());
            }
        }
    }

    public IReadOnlyList<NodeHeartbeat> Live()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return last.Values.Where(v => now - v.At <= MaxSilence).Select(v => v.Heartbeat).OrderBy(h => h.Node, StringComparer.Ordinal).ToList();
        }
    }
}
