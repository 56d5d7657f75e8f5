using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>Picks the owner of a node-local address among the live nodes. Pure: same inputs, same winner, on every node.</summary>
public static class Election
{
    /// <summary>
    /// The winner for <paramref name="address"/>: among nodes that can own (candidate, link up), are on the address's
    /// subnet and are allowed by <paramref name="eligible"/> (ready endpoints under Local policy), the one with the
    /// highest <see cref="RendezvousScore"/>; equal scores (never seen with SHA-256) fall to the ordinally smaller name.
    /// Null when nobody qualifies.
    /// </summary>
    public static NodeReport? Winner(IPAddress address, IEnumerable<NodeReport> nodes, Func<string, bool> eligible)
    {
        ArgumentNullException.ThrowIfNull(eligible);
        return WinnerWhere(address, nodes, node => eligible(node.Node));
    }

    /// <summary>As above, with eligibility decided on the whole report (labels and interface: layer-2 advertisements).</summary>
    public static NodeReport? WinnerWhere(IPAddress address, IEnumerable<NodeReport> nodes, Func<NodeReport, bool> eligible)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(eligible);
        NodeReport? best = null;
        var bestScore = default(RendezvousScore);
        foreach (var node in nodes)
        {
            if (!node.CanOwn || !node.IsOnLink(address) || !eligible(node))
            {
                continue;
            }

            var score = RendezvousScore.Of(node.Node, address);
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(node.Node, best.Node) < 0))
            {
                best = node;
                bestScore = score;
            }
        }

        return best;
    }
}
