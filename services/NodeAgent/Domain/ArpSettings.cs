namespace Beacon.NodeAgent.Domain;

/// <summary>What <see cref="StrictArp"/> reads from the node: the IPVS link and the ARP sysctls (all and the announcing interface).</summary>
public sealed record ArpSettings(bool IpvsLinkPresent, int AllArpIgnore, int AllArpAnnounce, int InterfaceArpIgnore, int InterfaceArpAnnounce);
