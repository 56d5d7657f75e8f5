using Beacon.Contracts;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>
/// Kubernetes label-selector semantics over this node's labels (the Announcer has no API access: its labels come
/// from its options, like the NodeAgent's). A list of selectors matches when any does; an empty list matches every node. Pure.
/// </summary>
public static class NodeSelectorMatch
{
    public static bool Any(IReadOnlyList<NodeSelector> selectors, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        return selectors.Count == 0 || selectors.Any(s => Matches(s, labels));
    }

    public static bool Matches(NodeSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        return selector.MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
            && selector.MatchExpressions.All(e => Matches(e, labels));
    }

    private static bool Matches(NodeSelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(requirement.Key, out var value);
        return requirement.Operator switch
        {
            "In" => has && requirement.Values.Contains(value!, StringComparer.Ordinal),
            "NotIn" => !has || !requirement.Values.Contains(value!, StringComparer.Ordinal),
            "Exists" => has,
            "DoesNotExist" => !has,
            // The Allocator rejects other operators; a forged one selects nothing rather than everything.
            _ => false,
        };
    }
}
