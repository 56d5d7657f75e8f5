using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>This node's announcing interface as the kernel last reported it.</summary>
/// <param name="Up">Administratively up with carrier: frames can flow.</param>
/// <param name="OperState">The kernel operstate in lower case (<c>up</c>, <c>down</c>, <c>unknown</c>…), for the heartbeat.</param>
public sealed record LocalLink(bool Up, string OperState, bool Carrier, IReadOnlyList<IPNetwork> Subnets)
{
    public static readonly LocalLink Missing = new(false, "notpresent", false, []);

    public bool SameAs(LocalLink other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Up == other.Up && OperState == other.OperState && Carrier == other.Carrier && Subnets.SequenceEqual(other.Subnets);
    }
}
