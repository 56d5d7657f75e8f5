using System.Reflection;
using Prometheus;

namespace Beacon.Hosting;

/// <summary>
/// The prometheus-net registry of one service, served at /metrics: process and .NET runtime collectors plus
/// beacon_build_info. Each host gets its own registry rather than the static default one, so services run side
/// by side in one test process do not share counters. Components create their metrics through the
/// <see cref="IMetricFactory"/> the host registers for this registry.
/// </summary>
public static class ServiceMetrics
{
    public static CollectorRegistry CreateRegistry(ServiceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        var version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "unknown";
        Metrics.WithCustomRegistry(registry)
            .CreateGauge("beacon_build_info", "Always 1; labels name the service and its version.", ["service", "version"])
            .WithLabels(identity.Name, version)
            .Set(1);
        return registry;
    }
}
