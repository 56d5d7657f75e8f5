namespace Beacon.Contracts;

/// <summary>A Kubernetes label selector over node labels: every label and every expression must match.</summary>
public sealed record NodeSelector(
    IReadOnlyDictionary<string, string> MatchLabels,
    IReadOnlyList<NodeSelectorRequirement> MatchExpressions);
