using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Beacon.Hosting.Memory;

public static class HeapTrimmerServiceCollectionExtensions
{
    /// <summary>Gives the GC heap's unused memory back after bursts (node components: their RSS is multiplied by the fleet).</summary>
    public static IServiceCollection AddHeapTrimmer(this IServiceCollection services) =>
        services.AddHostedService(sp => new HeapTrimmer(new GarbageCollectedHeap(), HeapTrimPolicy.Default,
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<IMetricFactory>(), sp.GetRequiredService<ILogger<HeapTrimmer>>()));
}
