using System.Net;
using System.Net.Sockets;
using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Which won addresses must be probed on the LAN before we plumb them: node-local IPv4 addresses we do not hold yet
/// whose previous owner (as we last applied it) is another node that has dropped out of our view. Such an owner may be
/// alive with only its bus gone, still answering ARP; taking the address then would make two nodes answer. Addresses
/// that are new, or whose owner is still in the view (it lost the election, e.g. its link went down), are not probed.
/// </summary>
public static class TakeoverProbe
{
    public static IReadOnlyList<IPAddress> Candidates(AddressPlan applied, AddressPlan plan, MembershipView view, LocalNode self)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(self);
        var probe = new List<IPAddress>();
        foreach (var planned in plan.Addresses)
        {
            var address = planned.Plumbing.Address;
            if (planned.Role == AnnouncementRole.Owner
                && address.AddressFamily == AddressFamily.InterNetwork
                && !applied.ByPlumbing.ContainsKey(planned.Plumbing)
                && applied.Owners.TryGetValue(address, out var previous)
                && previous is not null
                && previous != self.Name
                && !view.Nodes.Any(n => n.Node == previous))
            {
                probe.Add(address);
            }
        }

        return probe;
    }
}
