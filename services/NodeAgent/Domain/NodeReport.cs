using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>What one agent says about its node in a heartbeat, as the election reads it.</summary>
/// <param name="Interface">The interface local addresses go on.</param>
/// <param name="Subnets">The interface's subnets.</param>
/// <param name="LinkUp">Whether the announcing link is up with carrier: a node that cannot answer ARP must not win.</param>
/// <param name="Candidate">Whether the node may own addresses at all (its node selector matches, it is not leaving).</param>
/// <param name="StartId">Changes each time the agent starts.</param>
/// <param name="Labels">The node's labels (its <c>--node-labels</c>).</param>
/// <param name="SubnetInterfaces">Subnets on another interface than <paramref name="Interface"/> (an LBNodeAgent's <c>interfaces[]</c>), with it.</param>
public sealed record NodeReport(
    string Node,
    string Interface,
    IReadOnlyList<IPNetwork> Subnets,
    bool LinkUp,
    bool Candidate,
    string StartId,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyDictionary<IPNetwork, string>? SubnetInterfaces = null)
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The node's labels from its heartbeat (layer-2 advertisements select nodes by them); empty when it sent none.</summary>
    public IReadOnlyDictionary<string, string> NodeLabels => Labels ?? NoLabels;

    /// <summary>Whether the node can own an address now: it says it may, and its announcing link works.</summary>
    public bool CanOwn => Candidate && LinkUp;

    /// <summary>
    /// The interface <paramref name="address"/> goes on at this node: the one holding the first of its subnets that
    /// contains it (PureLB tries localInterface first, then <c>interfaces[]</c> in order), else <see cref="Interface"/>.
    /// </summary>
    public string InterfaceFor(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (SubnetInterfaces is null)
        {
            return Interface;
        }

        foreach (var subnet in Subnets)
        {
            if (subnet.Contains(address))
            {
                return SubnetInterfaces.TryGetValue(subnet, out var name) ? name : Interface;
            }
        }

        return Interface;
    }

    public bool IsOnLink(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        foreach (var subnet in Subnets)
        {
            if (subnet.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Same election-relevant content (records compare lists by reference, so compare them here).</summary>
    public bool SameAs(NodeReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Node == other.Node && Interface == other.Interface && LinkUp == other.LinkUp && Candidate == other.Candidate
            && StartId == other.StartId && Subnets.SequenceEqual(other.Subnets)
            && NodeLabels.Count == other.NodeLabels.Count && NodeLabels.All(l => other.NodeLabels.TryGetValue(l.Key, out var v) && v == l.Value)
            && (SubnetInterfaces?.Count ?? 0) == (other.SubnetInterfaces?.Count ?? 0)
            && (SubnetInterfaces is null || SubnetInterfaces.All(p => other.SubnetInterfaces!.TryGetValue(p.Key, out var n) && n == p.Value));
    }
}
