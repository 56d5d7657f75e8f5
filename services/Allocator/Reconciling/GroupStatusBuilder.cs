using System.Numerics;
using Beacon.Allocator.Mapping;
using Beacon.Ipam;
using Beacon.Kube.Models;
using KubeGroup = Beacon.Kube.Models.ServiceGroup;

namespace Beacon.Allocator.Reconciling;

/// <summary>ServiceGroup status: size/used/free per pool and a Ready condition naming every problem. Pure.</summary>
internal static class GroupStatusBuilder
{
    public const string ReadyCondition = "Ready";

    public static ServiceGroupStatus Build(KubeGroup group, ServiceGroupCatalog catalog, IReadOnlyList<PoolStatistics> statistics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(statistics);
        var name = group.Metadata?.Name ?? string.Empty;
        var errors = Problems(group, catalog);

        var pools = statistics.Where(s => s.Group == name).Select(s => new PoolUsage
        {
            Pool = s.Pool,
            Family = s.Family.ToString(),
            Size = Clamp(s.Size),
            Used = s.Used,
            Free = Clamp(s.Free),
        }).ToList();
        var ready = errors.Count == 0 && catalog.Find(name) is not null;
        var previous = group.Status?.Conditions?.FirstOrDefault(c => c.Type == ReadyCondition);
        var status = ready ? "True" : "False";
        var message = ready
            ? $"{pools.Count} pool(s), {pools.Sum(p => (decimal)p.Used)} address(es) in use"
            : string.Join("; ", errors.DefaultIfEmpty("the group is not usable"));
        return new ServiceGroupStatus
        {
            ObservedGeneration = group.Metadata?.Generation,
            // PureLB v2's counters (allocatedIPv4/IPv6, availableIPv4/IPv6), beside the per-pool figures they sum.
            ExtensionData = PureLbV2Counters(name, statistics),
            Pools = pools,
            Conditions =
            [
                new Condition
                {
                    Type = ReadyCondition,
                    Status = status,
                    Reason = ready ? "Valid" : "Invalid",
                    Message = message,
                    ObservedGeneration = group.Metadata?.Generation,
                    LastTransitionTime = previous?.Status == status && previous.LastTransitionTime is { } t ? t : now,
                },
            ],
        };
    }

    /// <summary>Why the group is not allocated from ("field: problem" each); empty when it is.</summary>
    public static IReadOnlyList<string> Problems(KubeGroup group, ServiceGroupCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = catalog.ErrorsOf(group.Metadata?.Name ?? string.Empty).Select(e => $"{e.Field}: {e.Message}").ToList();
        if (ServiceGroupMapper.UnsupportedSource(group) is { } unsupported)
        {
            errors.Insert(0, unsupported);
        }

        return errors;
    }

    /// <summary>Whether writing <paramref name="desired"/> would change anything a reader sees (ignoring timestamps).</summary>
    public static bool Differs(ServiceGroupStatus? current, ServiceGroupStatus desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        // (A status written before the PureLB v2 counters existed gets them once.)
        if (current is null || current.ObservedGeneration != desired.ObservedGeneration
            || current.ExtensionData?.ContainsKey("allocatedIPv4") != desired.ExtensionData?.ContainsKey("allocatedIPv4"))
        {
            return true;
        }

        var a = current.Pools ?? [];
        var b = desired.Pools ?? [];
        if (a.Count != b.Count || a.Zip(b).Any(p => p.First.Pool != p.Second.Pool || p.First.Family != p.Second.Family
                                                   || p.First.Size != p.Second.Size || p.First.Used != p.Second.Used || p.First.Free != p.Second.Free))
        {
            return true;
        }

        var c = current.Conditions ?? [];
        var d = desired.Conditions ?? [];
        return c.Count != d.Count || c.Zip(d).Any(p => p.First.Type != p.Second.Type || p.First.Status != p.Second.Status
                                                      || p.First.Reason != p.Second.Reason || p.First.Message != p.Second.Message);
    }

    private static Dictionary<string, System.Text.Json.JsonElement> PureLbV2Counters(string group, IReadOnlyList<PoolStatistics> statistics)
    {
        var counters = Formats.Status.PoolUsageCounters.Of(group, statistics);
        static System.Text.Json.JsonElement Number(long value) => System.Text.Json.JsonSerializer.SerializeToElement(value, Formats.Status.StatusJsonContext.Default.Int64);
        return new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal)
        {
            ["allocatedIPv4"] = Number(counters.AssignedIPv4),
            ["allocatedIPv6"] = Number(counters.AssignedIPv6),
            ["availableIPv4"] = Number(counters.AvailableIPv4),
            ["availableIPv6"] = Number(counters.AvailableIPv6),
        };
    }

    private static long Clamp(BigInteger value) => value > long.MaxValue ? long.MaxValue : value < 0 ? 0 : (long)value;
}
