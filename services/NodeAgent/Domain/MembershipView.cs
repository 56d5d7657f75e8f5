namespace Beacon.NodeAgent.Domain;

/// <summary>The live nodes at one moment, ordered by name. Every agent with the same view elects the same owners.</summary>
public sealed class MembershipView
{
    public static readonly MembershipView Empty = new([]);

    private readonly Dictionary<string, NodeReport> _byName;

    public MembershipView(IEnumerable<NodeReport> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        Nodes = [.. nodes.OrderBy(n => n.Node, StringComparer.Ordinal)];
        _byName = Nodes.ToDictionary(n => n.Node, StringComparer.Ordinal);
    }

    public IReadOnlyList<NodeReport> Nodes { get; }

    public NodeReport? Find(string node) => _byName.GetValueOrDefault(node);

    /// <summary>Whether both views would elect alike (same nodes with the same reports).</summary>
    public bool SameAs(MembershipView other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Nodes.Count != Nodes.Count)
        {
            return false;
        }

        for (var i = 0; i < Nodes.Count; i++)
        {
            if (!Nodes[i].SameAs(other.Nodes[i]))
            {
                return false;
            }
        }

        return true;
    }
}
