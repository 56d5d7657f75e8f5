using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.MetalLb;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// Every MetalLB IPAddressPool's <c>.status</c>: MetalLB's counters (assignedIPv4/IPv6, availableIPv4/IPv6, ≥ 0.15) and a
/// Ready condition saying why Beacon does not allocate from it (the format refused it, or an older resource of any kind
/// holds some of its addresses: reason "Conflict"). A pool Beacon does not use shows zero everywhere. Pure.
/// </summary>
internal static class IpAddressPoolStatuses
{
    public static IReadOnlyList<(ForeignResource Pool, JsonObject Status)> Build(
        IEnumerable<ForeignResource> resources,
        FormatTranslation translation,
        ServiceGroupCatalog catalog,
        IReadOnlyList<PoolStatistics> statistics,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(translation);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(statistics);
        var result = new List<(ForeignResource, JsonObject)>();
        foreach (var pool in resources.Where(IsIpAddressPool))
        {
            var refused = translation.Problems.Where(p => p.Rejected && p.Resource == pool.Id).Select(p => p.Field.Length == 0 ? p.Message : $"{p.Field}: {p.Message}");
            var translated = translation.Pools.FirstOrDefault(p => p.Kind == MetalLbKinds.IPAddressPool && p.Name == pool.Name);
            var engineErrors = translated is null ? [] : catalog.ErrorsOf(pool.Name);
            var problems = refused.Concat(engineErrors.Select(e => $"{e.Field}: {e.Message}")).ToList();
            var conflict = engineErrors.Any(e => e.Code is GroupErrorCode.OverlapsOtherGroup or GroupErrorCode.DuplicateName);
            if (translated is not null && problems.Count == 0 && catalog.Find(pool.Name) is { } kept && (kept.Kind != translated.Kind || kept.CreatedAt != translated.CreatedAt))
            {
                // Another resource of the same name, older, is the group the engine keeps under it.
                problems.Add($"metadata.name: '{pool.Name}' is taken by {kept.Kind} '{pool.Name}', which is older and keeps it");
                conflict = true;
            }

            var counters = problems.Count == 0 && translated is not null ? PoolUsageCounters.Of(pool.Name, statistics) : new PoolUsageCounters();
            var message = $"{counters.AssignedIPv4 + counters.AssignedIPv6} address(es) assigned, {counters.AvailableIPv4} IPv4 and {counters.AvailableIPv6} IPv6 available";
            var ready = ReadyCondition.From(problems, conflict, PreviousReady(pool), now, message, Generation(pool));
            var status = JsonSerializer.SerializeToNode(counters, StatusJsonContext.Default.PoolUsageCounters) as JsonObject ?? [];
            status["conditions"] = new JsonArray(JsonSerializer.SerializeToNode(ready, StatusJsonContext.Default.ReadyCondition));
            result.Add((pool, status));
        }

        return result;
    }

    public static bool IsIpAddressPool(ForeignResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Kind == MetalLbKinds.IPAddressPool && resource.ApiVersion.StartsWith(MetalLbKinds.Group + "/", StringComparison.Ordinal);
    }

    private static long? Generation(ForeignResource pool) =>
        pool.Body["metadata"]?["generation"] is JsonValue v && v.TryGetValue<long>(out var generation) ? generation : null;

    /// <summary>The Ready condition the pool carries now (so its transition time is kept), or null.</summary>
    private static ReadyCondition? PreviousReady(ForeignResource pool)
    {
        if (pool.Body["status"]?["conditions"] is not JsonArray conditions)
        {
            return null;
        }

        try
        {
            return conditions.OfType<JsonObject>().Where(c => c["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == ReadyCondition.Type)
                .Select(c => c.Deserialize(StatusJsonContext.Default.ReadyCondition)).FirstOrDefault();
        }
        catch (JsonException)
        {
            // Someone else's malformed condition: written over with ours.
            return null;
        }
    }
}
