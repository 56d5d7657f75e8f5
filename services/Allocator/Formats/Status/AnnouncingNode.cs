using Beacon.Ipam;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// One node announcing one address of a Service, as node agents report it: in layer 2 (it owns the address and answers
/// ARP/NDP on <paramref name="Interface"/>) or over BGP (it carries the address for its routing daemon).
/// </summary>
/// <param name="Peers">The BGP peers the node reported handing the address's route to; empty when none was reported.</param>
internal sealed record AnnouncingNode(ServiceKey Service, string Node, string Address, string Interface, bool Layer2, IReadOnlyList<string>? Peers = null);
