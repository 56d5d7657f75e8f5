using Beacon.Allocator.Controller;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.NodeAgents;

/// <summary>
/// Publishes every accepted LBNodeAgent as one last value on <c>beacon.v1.nodeagent.config</c> (stored by
/// BEACON_NODEAGENT_CONFIG) for one leadership term, as the BGP peer set is published (<see cref="LastValuePublisher{T}"/>).
/// Node agents apply it (docs/servicegroups.md).
/// </summary>
internal sealed class NodeAgentConfigPublisher(IEventBus bus, ILogger logger, JetStreamOptions? streams = null) : IDisposable
{
    private readonly LastValuePublisher<NodeAgentConfigSet> publisher = new(
        bus, EventTypes.NodeAgentConfig, Subjects.NodeAgentConfig, set => (set.Agents.Count, string.Join(", ", set.Agents.Select(a => a.Name))), "LBNodeAgent settings", logger, streams);

    /// <summary>Publishes <paramref name="agents"/> unless the same set is already published in this term.</summary>
    public Task PublishAsync(IReadOnlyList<NodeAgentConfig> agents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return publisher.PublishAsync(new NodeAgentConfigSet([.. agents.OrderBy(a => a.Name, StringComparer.Ordinal)]), cancellationToken);
    }

    public void Dispose() => publisher.Dispose();
}
