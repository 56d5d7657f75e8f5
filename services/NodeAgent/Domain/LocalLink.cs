using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>This node's announcing interface(s) as the kernel last reported them.</summary>
/// <param name="Up">Administratively up with carrier: frames can flow.</param>
/// <param name="OperState">The kernel operstate in lower case (<c>up</c>, <c>down</c>, <c>unknown</c>…), for the heartbeat.</param>
/// <param name="SubnetInterfaces">Subnets on another interface than the announcing one (an LBNodeAgent's <c>interfaces[]</c>), with it; null when none.</param>
public sealed record LocalLink(bool Up, string OperState, bool Carrier, IReadOnlyList<IPNetwork> Subnets, IReadOnlyDictionary<IPNetwork, string>? SubnetInterfaces = null)
{
    public static readonly LocalLink Missing = new(false, "notpresent", false, []);

    /// <summary>
    /// The announcing interface with the LBNodeAgent's further interfaces (PureLB's <c>interfaces[]</c>), as one link for
    /// the election: the subnets of the main interface, then those of each further interface that can carry traffic,
    /// in the order listed (a subnet on two interfaces belongs to the first). Up when any of them with a subnet is up,
    /// so a node whose main interface is down still owns addresses of its other subnets. Pure.
    /// </summary>
    public static LocalLink Combine(LocalLink main, IReadOnlyList<(string Name, LocalLink Link)> further)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(further);
        var usable = further.Where(f => f.Link.Up && f.Link.Subnets.Count > 0).ToList();
        if (usable.Count == 0)
        {
            return main;
        }

        var subnets = new List<IPNetwork>(main.Up ? main.Subnets : Array.Empty<IPNetwork>());
        var elsewhere = new Dictionary<IPNetwork, string>();
        foreach (var (name, link) in usable)
        {
            foreach (var subnet in link.Subnets.Where(s => !subnets.Contains(s)))
            {
                subnets.Add(subnet);
                elsewhere[subnet] = name;
            }
        }

        // A main link that is down offers no subnet of its own: only the further interfaces' addresses can be won.
        return new LocalLink(true, main.Up ? main.OperState : "up", main.Up ? main.Carrier : true, subnets, elsewhere);
    }

    public bool SameAs(LocalLink other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Up == other.Up && OperState == other.OperState && Carrier == other.Carrier && Subnets.SequenceEqual(other.Subnets)
            && (SubnetInterfaces?.Count ?? 0) == (other.SubnetInterfaces?.Count ?? 0)
            && (SubnetInterfaces is null || SubnetInterfaces.All(p => other.SubnetInterfaces!.TryGetValue(p.Key, out var n) && n == p.Value));
    }
}
