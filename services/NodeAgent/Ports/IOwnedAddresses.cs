using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Ports;

/// <summary>
/// Told which node-local addresses this node owns (as the election decided and the reconciler applied), so it can
/// defend them on the LAN. Must not block: the reconciler calls it inline.
/// </summary>
public interface IOwnedAddresses
{
    void Owned(IReadOnlyCollection<PlumbedAddress> owned);
}
