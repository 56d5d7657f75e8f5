using System.Net;
using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// The peers a starting agent must hear before its warm-up may end early: every other node whose last status (the
/// BEACON_NODES stream) holds an address on one of our subnets. Election is rendezvous hashing, so a live peer that
/// holds nothing here cannot outrank the current owner of any address (it would own it otherwise); hearing the owners is
/// enough to know what we win without taking an address someone still holds. A node that died without leaving keeps
/// its last status, stays silent and so keeps the full warm-up: slower, never unsafe.
/// </summary>
public static class ExpectedPeers
{
    public static IReadOnlySet<string> From(IEnumerable<NodeStatusReport> statuses, string self, IReadOnlyList<IPNetwork> subnets)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(subnets);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            if (status.Node == self || expected.Contains(status.Node))
            {
                continue;
            }

            foreach (var held in status.Holding)
            {
                if (held.Role != AnnouncementRole.Withdrawn && IPAddress.TryParse(held.Address, out var address) && subnets.Any(s => s.Contains(address)))
                {
                    expected.Add(status.Node);
                    break;
                }
            }
        }

        return expected;
    }
}
