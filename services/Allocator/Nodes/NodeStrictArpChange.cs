namespace Beacon.Allocator.Nodes;

/// <summary>One node's strictARP finding that changed since it was last reported: a problem, or <c>null</c> once fixed.</summary>
internal sealed record NodeStrictArpChange(string Node, string? Problem)
{
    /// <summary>
    /// What to report, given what was reported and what the nodes say now: a node whose problem is new or different,
    /// and a node whose reported problem is gone (fixed). A node that never had a problem is never mentioned. Pure.
    /// </summary>
    public static IReadOnlyList<NodeStrictArpChange> Between(IReadOnlyDictionary<string, string> reported, IReadOnlyDictionary<string, string?> current)
    {
        ArgumentNullException.ThrowIfNull(reported);
        ArgumentNullException.ThrowIfNull(current);
        var changes = new List<NodeStrictArpChange>();
        foreach (var (node, problem) in current)
        {
            if (problem is not null && !(reported.TryGetValue(node, out var before) && string.Equals(before, problem, StringComparison.Ordinal)))
            {
                changes.Add(new NodeStrictArpChange(node, problem));
            }
        }

        // Fixed: reported with a problem, now without one. A node that vanished from the findings keeps its problem
        // (nothing said it is fixed).
        foreach (var node in reported.Keys)
        {
            if (current.TryGetValue(node, out var now) && now is null)
            {
                changes.Add(new NodeStrictArpChange(node, null));
            }
        }

        changes.Sort((a, b) => StringComparer.Ordinal.Compare(a.Node, b.Node));
        return changes;
    }
}
