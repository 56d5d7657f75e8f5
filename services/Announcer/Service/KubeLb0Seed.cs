using Beacon.Contracts;
using Beacon.Networking.Addresses;
using Beacon.Networking.Netlink;

namespace Beacon.Announcer.Service;

/// <summary>
/// The addresses the NodeAgent plumbed (carrying its mark) on the dummy interface: exactly the routed addresses this
/// node carries, which is what the routing modes announce. Owned LAN addresses are learned from announcements only.
/// </summary>
public sealed class KubeLb0Seed(string dummyInterface = "kube-lb0") : IHeldAddressSeed
{
    public IReadOnlyList<HeldAddress> Read()
    {
        using var netlink = RouteNetlinkClient.Open();
        return [.. new AddressPlumber(netlink).ListOurs(dummyInterface)
            .Select(a => new HeldAddress(a.Address.ToString(), null, dummyInterface, AnnouncementRole.Member))];
    }
}
