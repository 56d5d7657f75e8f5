using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Which published LBNodeAgent applies to this node, by PureLB's rule (its <c>AgentsForNode</c> + <c>FirstLocalAgent</c>):
/// objects whose selector matches the node's labels, specific selectors before catch-alls (no selector, or an empty
/// one), each class by name; the first of them with <c>spec.local</c> applies and the other matches are ignored (and
/// named). When objects exist but none selects the node, the node is deselected: it owns no address, as PureLB's
/// agent then announces nothing. No object at all leaves the node as its options say. Pure.
/// </summary>
/// <param name="Applied">The object whose settings apply, or null.</param>
/// <param name="Deselected">Objects exist and none selects this node.</param>
/// <param name="Ignored">Names of the other matching objects, in precedence order.</param>
public sealed record NodeAgentConfigChoice(NodeAgentConfig? Applied, bool Deselected, IReadOnlyList<string> Ignored)
{
    public static readonly NodeAgentConfigChoice None = new(null, false, []);

    public static NodeAgentConfigChoice For(IReadOnlyList<NodeAgentConfig> agents, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(labels);
        if (agents.Count == 0)
        {
            return None;
        }

        var matched = agents.Where(a => !IsCatchAll(a.NodeSelector) && Layer2Eligibility.Matches(a.NodeSelector!, labels)).OrderBy(a => a.Name, StringComparer.Ordinal)
            .Concat(agents.Where(a => IsCatchAll(a.NodeSelector)).OrderBy(a => a.Name, StringComparer.Ordinal))
            .ToList();
        if (matched.Count == 0)
        {
            return new NodeAgentConfigChoice(null, true, []);
        }

        var applied = matched.FirstOrDefault(a => a.HasLocal);
        return new NodeAgentConfigChoice(applied, false, [.. matched.Where(a => !ReferenceEquals(a, applied)).Select(a => a.Name)]);
    }

    private static bool IsCatchAll(NodeSelector? selector) => selector is null || (selector.MatchLabels.Count == 0 && selector.MatchExpressions.Count == 0);
}
