using System.Text;
using Prometheus;

namespace Beacon.TestSupport;

/// <summary>What /metrics would serve for a registry, for tests that check metrics without an HTTP server.</summary>
public static class PrometheusScrape
{
    public static string ToPrometheusText(this CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var buffer = new MemoryStream();
        registry.CollectAndExportAsTextAsync(buffer).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
