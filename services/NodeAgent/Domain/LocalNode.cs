namespace Beacon.NodeAgent.Domain;

/// <summary>This agent's own node, as the planner needs it.</summary>
/// <param name="Interface">Where won node-local addresses go.</param>
/// <param name="DummyInterface">Where addresses outside every node subnet go (<c>kube-lb0</c>).</param>
/// <param name="SelectorMatches">Whether the LBNodeAgent node selector selects this node.</param>
/// <param name="Labels">This node's labels (<c>--node-labels</c>), reported to peers and to itself for layer-2 advertisements' node selectors.</param>
/// <param name="ExtraInterfaces">Further interfaces won node-local addresses of their subnets go on (an LBNodeAgent's <c>interfaces[]</c>).</param>
public sealed record LocalNode(
    string Name, string Interface, string DummyInterface, bool SelectorMatches, IReadOnlyDictionary<string, string>? Labels = null, IReadOnlyList<string>? ExtraInterfaces = null)
{
    /// <summary>Every interface node-local addresses may go on: the announcing one first, then the further ones.</summary>
    public IReadOnlyList<string> LocalInterfaces => [Interface, .. ExtraInterfaces ?? []];
}
