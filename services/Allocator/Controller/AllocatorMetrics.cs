using Prometheus;

namespace Beacon.Allocator.Controller;

/// <summary>The Allocator's own /metrics: leadership, allocated and pending Services, failed writes. Read at scrape time.</summary>
internal static class AllocatorMetrics
{
    public static void Register(CollectorRegistry registry, AllocatorState state)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(state);
        var metrics = Metrics.WithCustomRegistry(registry);
        var leader = metrics.CreateGauge("beacon_allocator_leader", "1 while this replica holds the Lease and writes.");
        var allocated = metrics.CreateGauge("beacon_allocator_services_allocated", "Services holding addresses (leader only).");
        var pending = metrics.CreateGauge("beacon_allocator_services_pending", "Services waiting for an address; see their beacon.io/AddressAssigned condition.");
        var failed = metrics.CreateCounter("beacon_allocator_write_failures_total", "Service or ServiceGroup writes that failed and were retried.");
        registry.AddBeforeCollectCallback(() =>
        {
            leader.Set(state.IsLeader ? 1 : 0);
            allocated.Set(state.Loop?.AllocatedServices ?? 0);
            pending.Set(state.Loop?.PendingServices ?? 0);
            failed.IncTo(state.Loop?.FailedWrites ?? 0);
        });
    }
}
