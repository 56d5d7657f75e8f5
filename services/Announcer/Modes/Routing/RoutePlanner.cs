using System.Net;
using System.Net.Sockets;

namespace Beacon.Announcer.Modes.Routing;

/// <summary>
/// Turns the desired addresses into the routes a routing daemon must originate: one host route per address, or one
/// route for the covering prefix when the ServiceGroup asks for aggregation. Pure; the order of the input does not
/// matter and the output is sorted (IPv4 first, then by address and prefix length), so rendered configs are stable.
/// </summary>
public static class RoutePlanner
{
    /// <param name="includeLocalOwners">
    /// Also route node-subnet addresses this node owns. Off by default: those are reached by ARP/NDP on the LAN,
    /// and routing them would pull traffic from routers to whichever node announces, bypassing the election.
    /// </param>
    public static IReadOnlyList<AnnouncedRoute> Plan(AnnouncementSet desired, bool includeLocalOwners)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return desired.Addresses
            .Where(a => a.Kind == AddressKind.KubeLb0 || includeLocalOwners)
            .GroupBy(PrefixOf)
            .Select(g => new AnnouncedRoute(
                g.Key,
                g.Select(a => a.Interface).Order(StringComparer.Ordinal).First(),
                g.Select(a => a.Attributes).Aggregate((x, y) => x.Merge(y)),
                [.. g.Select(a => a.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
            .OrderBy(r => r.IsIPv6)
            .ThenBy(r => r.Prefix.BaseAddress.GetAddressBytes(), ByteOrder.Instance)
            .ThenBy(r => r.Prefix.PrefixLength)
            .ToList();
    }

    /// <summary>The prefix announced for one address: the covering network at the aggregation length, or a host route.</summary>
    public static IPNetwork PrefixOf(AnnouncedAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var length = address.AggregationPrefixLength is { } l && l >= 0 && l <= address.HostPrefixLength ? l : address.HostPrefixLength;
        var bytes = address.Address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length);
    }

    /// <summary>The address family name daemons use in their CLIs.</summary>
    public static string FamilyOf(IPNetwork prefix) =>
        prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) =>
            x is null || y is null ? Comparer<object>.Default.Compare(x, y) : x.AsSpan().SequenceCompareTo(y);
    }
}
