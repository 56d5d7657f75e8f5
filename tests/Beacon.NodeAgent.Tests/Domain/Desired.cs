using Beacon.Contracts;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>Builds AllocationChanged events the way the Allocator would send them.</summary>
internal static class Desired
{
    public static AllocatedAddress Local(string address) =>
        address.Contains(':', StringComparison.Ordinal)
            ? new(address, 128, IpFamily.IPv6, AddressPlacement.Local, "lan", "fd00:beac::/64", null)
            : new(address, 32, IpFamily.IPv4, AddressPlacement.Local, "lan", "198.18.0.0/24", null);

    public static AllocatedAddress Remote(string address) =>
        new(address, address.Contains(':', StringComparison.Ordinal) ? 128 : 32,
            address.Contains(':', StringComparison.Ordinal) ? IpFamily.IPv6 : IpFamily.IPv4, AddressPlacement.Remote, "bgp", "203.0.113.0/24", 24);

    public static AllocationChanged Service(string name, TrafficPolicy policy = TrafficPolicy.Cluster, string[]? ready = null, params AllocatedAddress[] addresses) =>
        new(new ServiceKey("default", name), addresses, "lan", [new ServicePort(80, "TCP")], policy, ready ?? [], null, 1, "e1");
}
