using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Whether a heartbeat only repeats the previous one of the same node in the same scope (everything but its send time
/// equal). Such a heartbeat changes no decision when it arrives, only when a peer would expire; the agent records it
/// and lets its next wake apply it, instead of waking for each of the tens per second (issue #15: idle CPU).
/// </summary>
public static class RoutineHeartbeat
{
    public static bool Repeats(NodeHeartbeat? previous, NodeHeartbeat current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return previous is not null
            && !current.Leaving
            && !previous.Leaving
            && current.Candidate == previous.Candidate
            && current.Node == previous.Node
            && current.AgentStartId == previous.AgentStartId
            && current.Interface == previous.Interface
            && current.Link == previous.Link
            && current.Subnets.SequenceEqual(previous.Subnets, StringComparer.Ordinal)
            && SameLabels(previous.Labels, current.Labels)
            && SameLabels(previous.SubnetInterfaces ?? NoPairs, current.SubnetInterfaces ?? NoPairs);
    }

    private static readonly IReadOnlyDictionary<string, string> NoPairs = new Dictionary<string, string>();

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
