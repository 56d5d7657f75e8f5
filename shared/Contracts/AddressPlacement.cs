namespace Beacon.Contracts;

/// <summary>Where a node puts an address.</summary>
public enum AddressPlacement
{
    /// <summary>The address is inside a node subnet: the elected owner adds it to its own interface and answers ARP/NDP.</summary>
    Local,

    /// <summary>The address is outside every node subnet: every eligible node adds it to the dummy <c>kube-lb0</c> and routes announce it.</summary>
    Remote,
}
