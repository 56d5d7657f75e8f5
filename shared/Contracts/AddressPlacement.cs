using System.Diagnostics.CodeAnalysis;

namespace Beacon.Contracts;

/// <summary>Where a node puts an address. One byte: every <see cref="AllocatedAddress"/> a node's replica holds carries one.</summary>
[SuppressMessage("Design", "CA1028:Enum Storage should be Int32", Justification = "Held per address in every replica; a byte keeps AllocatedAddress 8 bytes smaller.")]
public enum AddressPlacement : byte
{
    /// <summary>The address is inside a node subnet: the elected owner adds it to its own interface and answers ARP/NDP.</summary>
    Local,

    /// <summary>The address is outside every node subnet: every eligible node adds it to the dummy <c>kube-lb0</c> and routes announce it.</summary>
    Remote,
}
