using System.Numerics;
using System.Text.Json.Serialization;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// Addresses assigned and still available per family for one pool resource of any kind: MetalLB's IPAddressPool status
/// (≥ 0.14) field for field; PureLB v2's ServiceGroup status calls the same numbers allocatedIPv4/IPv6.
/// </summary>
internal sealed record PoolUsageCounters
{
    [JsonPropertyName("assignedIPv4")]
    public long AssignedIPv4 { get; init; }

    [JsonPropertyName("assignedIPv6")]
    public long AssignedIPv6 { get; init; }

    [JsonPropertyName("availableIPv4")]
    public long AvailableIPv4 { get; init; }

    [JsonPropertyName("availableIPv6")]
    public long AvailableIPv6 { get; init; }

    /// <summary>
    /// Sums the engine's per-pool statistics of group <paramref name="group"/>; a group the engine does not allocate from
    /// (rejected) has everything at zero, as MetalLB shows an unusable pool. Counts beyond a long read as long.MaxValue.
    /// </summary>
    public static PoolUsageCounters Of(string group, IEnumerable<PoolStatistics> statistics)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(statistics);
        var mine = statistics.Where(s => string.Equals(s.Group, group, StringComparison.Ordinal)).ToList();
        BigInteger Sum(IpFamily family, Func<PoolStatistics, BigInteger> value) =>
            mine.Where(s => s.Family == family).Aggregate(BigInteger.Zero, (sum, s) => sum + value(s));
        return new PoolUsageCounters
        {
            AssignedIPv4 = Clamp(Sum(IpFamily.IPv4, s => s.Used)),
            AssignedIPv6 = Clamp(Sum(IpFamily.IPv6, s => s.Used)),
            AvailableIPv4 = Clamp(Sum(IpFamily.IPv4, s => s.Free)),
            AvailableIPv6 = Clamp(Sum(IpFamily.IPv6, s => s.Free)),
        };
    }

    private static long Clamp(BigInteger value) => value > long.MaxValue ? long.MaxValue : value < 0 ? 0 : (long)value;
}
