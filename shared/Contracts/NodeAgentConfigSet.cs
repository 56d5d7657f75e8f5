namespace Beacon.Contracts;

/// <summary>
/// Every accepted LBNodeAgent of the cluster, on <c>beacon.v1.nodeagent.config</c>, kept by the BEACON_NODEAGENT_CONFIG
/// stream as one last value: the whole set in each message, so a message replaces the previous one (an object missing
/// from it was deleted or rejected). Each node agent picks the one that applies to it (see docs/servicegroups.md).
/// </summary>
/// <param name="Agents">Sorted by name; empty when there is none (still published, so nodes return to their options).</param>
public sealed record NodeAgentConfigSet(IReadOnlyList<NodeAgentConfig> Agents);
