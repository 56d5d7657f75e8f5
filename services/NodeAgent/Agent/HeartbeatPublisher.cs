using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Bus;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Agent;

/// <summary>Builds this node's heartbeat from the agent state and publishes it on <c>beacon.v1.nodes.&lt;node&gt;.heartbeat</c>.</summary>
public sealed class HeartbeatPublisher(IEventBus bus, AgentState state, IReadOnlyDictionary<string, string> labels)
{
    private readonly string _subject = Subjects.Heartbeat(state.Self.Name);
    private readonly string _source = BusAnnouncementSink.EventSource(state.Self.Name);

    public NodeHeartbeat Build(TimeSpan now, bool leaving)
    {
        var link = state.Link;
        return new NodeHeartbeat(
            state.Self.Name,
            state.Self.Interface,
            [.. link.Subnets.Select(s => s.ToString())],
            new LinkState(link.Up, link.OperState, link.Carrier),
            labels,
            !leaving && state.Candidate(now),
            DateTimeOffset.UtcNow,
            state.StartId,
            leaving);
    }

    /// <summary>False when the bus is down (nothing is queued: a stale heartbeat is worse than none).</summary>
    public ValueTask<bool> PublishAsync(TimeSpan now, bool leaving, CancellationToken cancellationToken) =>
        bus.PublishEventAsync(_subject, EventTypes.NodeHeartbeat, Build(now, leaving), _source, state.Self.Name, cancellationToken);
}
