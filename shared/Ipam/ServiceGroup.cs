namespace Beacon.Ipam;

/// <summary>A validated ServiceGroup: its pools (IPv4 first, in declaration order) and allocation settings.</summary>
public sealed class ServiceGroup
{
    public ServiceGroup(string name, DateTimeOffset? createdAt, IReadOnlyList<AddressPool> pools, bool autoAssign, bool avoidBuggyIPs, AllocationPolicy allocation)
    {
        Name = name;
        CreatedAt = createdAt;
        Pools = pools;
        AutoAssign = autoAssign;
        AvoidBuggyIPs = avoidBuggyIPs;
        Allocation = allocation;
    }

    public string Name { get; }

    public DateTimeOffset? CreatedAt { get; }

    public IReadOnlyList<AddressPool> Pools { get; }

    public bool AutoAssign { get; }

    public bool AvoidBuggyIPs { get; }

    public AllocationPolicy Allocation { get; }

    /// <summary>The kind of resource the group was declared as (see <see cref="ServiceGroupSpec.Kind"/>).</summary>
    public string Kind { get; init; } = "ServiceGroup";

    /// <summary>See <see cref="ServiceGroupSpec.BalancePools"/>.</summary>
    public bool BalancePools { get; init; }

    /// <summary>See <see cref="ServiceGroupSpec.MultiPool"/>.</summary>
    public bool MultiPool { get; init; }

    public IEnumerable<AddressPool> PoolsOf(IpFamily family) => Pools.Where(p => p.Family == family);

    public bool HasFamily(IpFamily family) => Pools.Any(p => p.Family == family);

    public AddressPool? PoolContaining(NumericAddress address) => Pools.FirstOrDefault(p => p.Contains(address));

    public override string ToString() => Name;
}
