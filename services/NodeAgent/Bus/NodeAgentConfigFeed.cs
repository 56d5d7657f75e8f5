using Beacon.Contracts;
using Beacon.Messaging.Streams;

namespace Beacon.NodeAgent.Bus;

/// <summary>
/// The cluster's LBNodeAgents as this node last read them from BEACON_NODEAGENT_CONFIG (published by the Allocator):
/// each message replaces the whole set; see <see cref="LastValueSet{TSet, TItem}"/>. The node agent waits (bounded) for
/// the first read before it claims addresses.
/// </summary>
public sealed class NodeAgentConfigFeed() : LastValueSet<NodeAgentConfigSet, NodeAgentConfig>(
    BeaconStreams.NodeAgentConfig, Subjects.NodeAgentConfig, EventTypes.NodeAgentConfig, "LBNodeAgent", set => set.Agents, agent => agent.Name);
