using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Whether a node may own a layer-2 address under the group's explicit layer-2 advertisements (MetalLB's
/// L2Advertisement <c>nodeSelectors</c> and <c>interfaces</c>, OpenELB's Eip <c>interface</c>): some advertisement must
/// select the node's labels and list its announcing interface (an empty list selects every node, every interface).
/// No advertisements (PureLB groups) leaves every node eligible. Pure, and every node computes it alike from heartbeats.
/// </summary>
public static class Layer2Eligibility
{
    /// <param name="onInterface">The interface the address would go on at this node; null: its announcing interface.</param>
    public static bool Allows(IReadOnlyList<Layer2Announcement>? announcements, NodeReport node, string? onInterface = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        onInterface ??= node.Interface;
        if (announcements is null || announcements.Count == 0)
        {
            return true;
        }

        foreach (var announcement in announcements)
        {
            var selected = announcement.NodeSelectors.Count == 0 || announcement.NodeSelectors.Any(s => Matches(s, node.NodeLabels));
            var listed = announcement.Interfaces.Count == 0 || announcement.Interfaces.Contains(onInterface, StringComparer.Ordinal);
            if (selected && listed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A Kubernetes label selector: every matchLabels pair and every expression must hold.</summary>
    public static bool Matches(NodeSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        return selector.MatchLabels.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value)
            && selector.MatchExpressions.All(e => Holds(e, labels));
    }

    private static bool Holds(NodeSelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        return requirement.Operator switch
        {
            "In" => present && requirement.Values.Contains(value!, StringComparer.Ordinal),
            "NotIn" => !present || !requirement.Values.Contains(value!, StringComparer.Ordinal),
            "Exists" => present,
            "DoesNotExist" => !present,
            // The Allocator validates operators; an unknown one selects nothing rather than everything.
            _ => false,
        };
    }
}
