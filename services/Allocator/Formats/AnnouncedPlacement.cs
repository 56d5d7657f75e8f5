using Beacon.Contracts;

namespace Beacon.Allocator.Formats;

/// <summary>
/// Where an address goes when its group's configuration names the announcement explicitly (MetalLB advertisements)
/// rather than leaving it to the subnets: a BGP advertisement makes it a routed address (every selected node, aggregated
/// as advertised); layer 2 alone makes it a node-local address plumbed as a host address (/32, /128), because MetalLB
/// pools need not be the nodes' subnet and a host address adds no route. Pure.
/// </summary>
internal static class AnnouncedPlacement
{
    public static AllocationChanged Apply(AllocationChanged change, AnnouncementPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (policy is null)
        {
            return change;
        }

        var addresses = change.Addresses.Select(a =>
        {
            var host = a.Family == IpFamily.IPv4 ? 32 : 128;
            if (policy.Bgp.Count > 0)
            {
                var first = policy.Bgp[0];
                var aggregation = a.Family == IpFamily.IPv4 ? first.AggregationLength ?? 32 : first.AggregationLengthV6 ?? 128;
                return a with { Placement = AddressPlacement.Remote, PrefixLength = host, AggregationPrefixLength = aggregation < host ? aggregation : null };
            }

            return policy.Layer2.Count > 0 ? a with { Placement = AddressPlacement.Local, PrefixLength = host, AggregationPrefixLength = null } : a;
        }).ToList();
        return change with { Addresses = addresses, Announce = policy };
    }
}
