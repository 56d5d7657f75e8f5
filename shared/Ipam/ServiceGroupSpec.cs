namespace Beacon.Ipam;

/// <summary>
/// A <c>purelb.io/v1</c> ServiceGroup as written by the operator, before validation (see <see cref="ServiceGroupValidator"/>).
/// Mirrors <c>spec.local</c>: <c>v4pool</c>, <c>v6pool</c>, <c>v4pools</c>, <c>v6pools</c>, plus Beacon's optional
/// <c>autoAssign</c>, <c>avoidBuggyIPs</c> and <c>allocation</c>.
/// </summary>
public sealed record ServiceGroupSpec
{
    public required string Name { get; init; }

    /// <summary>metadata.creationTimestamp: when two groups overlap, the older one is kept.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public PoolSpec? V4Pool { get; init; }

    public PoolSpec? V6Pool { get; init; }

    public IReadOnlyList<PoolSpec> V4Pools { get; init; } = [];

    public IReadOnlyList<PoolSpec> V6Pools { get; init; } = [];

    /// <summary>Defaults to true: Services that name no group may draw from this one.</summary>
    public bool? AutoAssign { get; init; }

    public bool AvoidBuggyIPs { get; init; }

    public AllocationSpec? Allocation { get; init; }

    /// <summary>
    /// PureLB v2's <c>balancePools</c>: a new address comes from the pool of its family with the fewest addresses in use
    /// (declaration order breaks ties) instead of the first pool with a free address.
    /// </summary>
    public bool BalancePools { get; init; }

    /// <summary>
    /// PureLB v2's <c>multiPool</c>: a Service gets one address from every pool of each family it asks for (typically
    /// one pool per subnet, so every L2 segment has a local address), instead of one address per family. A full pool
    /// is skipped; the Service is pending only when no pool of a family it needs has a free address. Not with a
    /// sharing key or requested addresses (those get one address per family, as without multiPool).
    /// </summary>
    public bool MultiPool { get; init; }

    /// <summary>
    /// The kind of resource the group was declared as ("ServiceGroup", "IPAddressPool", "Eip", …), so problems such as
    /// an overlap name the resource the operator wrote.
    /// </summary>
    public string Kind { get; init; } = "ServiceGroup";

    /// <summary>Where the group was declared ("pools.yaml:12"), for messages; null when unknown.</summary>
    public string? Origin { get; init; }
}
