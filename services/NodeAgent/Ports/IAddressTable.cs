using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Ports;

/// <summary>The kernel's address table as the agent may touch it: only addresses it marked as its own.</summary>
public interface IAddressTable
{
    /// <summary>Our addresses on the given interfaces (missing interfaces have none).</summary>
    IReadOnlyList<PlumbedAddress> ListOurs(IReadOnlyCollection<string> interfaces);

    /// <summary>Adds the address, or refreshes it when present, with a finite lifetime (IPv6 without DAD).</summary>
    void Plumb(PlumbedAddress address, TimeSpan validLifetime);

    /// <summary>Removes the address if it is ours; false when it was not there.</summary>
    bool Unplumb(PlumbedAddress address);
}
