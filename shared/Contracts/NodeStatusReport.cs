namespace Beacon.Contracts;

/// <summary>
/// A node agent's current state, on <c>beacon.v1.nodes.&lt;node&gt;.status</c>, kept by the BEACON_NODES stream as the
/// node's last value: what it holds right now (every announcement not withdrawn), so a restarted Allocator or a late
/// reader knows who announces what without having heard the individual announcements.
/// </summary>
/// <param name="Holding">The node's live announcements (owner or member roles), one per Service address.</param>
/// <param name="StrictArpProblem">
/// Null while layer 2 is safe on the node (or not checked yet); otherwise what the agent found (kube-proxy's IPVS without
/// strictARP) with the exact fix, the same text as its <c>/readyz</c> reason. Added in a compatible way: older agents
/// omit it, older readers ignore it.
/// </param>
public sealed record NodeStatusReport(string Node, IReadOnlyList<Announcement> Holding, DateTimeOffset At, string? StrictArpProblem = null);
