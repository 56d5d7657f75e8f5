namespace Beacon.Contracts;

/// <param name="Source">The resource it came from ("L2Advertisement metallb-system/lan").</param>
/// <param name="NodeSelectors">Nodes that may announce: any selector matching a node's labels; empty means every node.</param>
/// <param name="Interfaces">Interfaces to answer ARP/NDP on; empty means every interface.</param>
public sealed record Layer2Announcement(
    string Source,
    IReadOnlyList<NodeSelector> NodeSelectors,
    IReadOnlyList<string> Interfaces);
