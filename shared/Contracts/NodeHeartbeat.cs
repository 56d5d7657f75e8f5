namespace Beacon.Contracts;

/// <summary>A node agent's periodic liveness and eligibility report, on <c>beacon.v1.nodes.&lt;node&gt;.heartbeat</c>.</summary>
/// <param name="Interface">The interface local addresses go on.</param>
/// <param name="Subnets">The interface's subnets in CIDR form.</param>
/// <param name="Candidate">Whether the node may own addresses (labels, link, readiness all allow it).</param>
/// <param name="AgentStartId">Changes each time the agent process starts, so peers notice restarts.</param>
/// <param name="SubnetInterfaces">Subnets (of <paramref name="Subnets"/>) that are on another interface than <paramref name="Interface"/>, with that interface (an LBNodeAgent's <c>interfaces[]</c>); null when all are on it.</param>
/// <param name="Leaving">The agent is shutting down and has withdrawn its addresses: peers drop it at once instead of waiting for missed heartbeats.</param>
public sealed record NodeHeartbeat(
    string Node,
    string Interface,
    IReadOnlyList<string> Subnets,
    LinkState Link,
    IReadOnlyDictionary<string, string> Labels,
    bool Candidate,
    DateTimeOffset SentAt,
    string AgentStartId,
    bool Leaving = false,
    IReadOnlyDictionary<string, string>? SubnetInterfaces = null);
