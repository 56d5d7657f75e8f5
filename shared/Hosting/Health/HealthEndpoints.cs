using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Beacon.Hosting.Health;

/// <summary>/healthz (the process answers), /readyz (every readiness check passes) and /metrics (Prometheus text, written by prometheus-net from the service's <see cref="CollectorRegistry"/>).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapBeaconEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        endpoints.MapGet("/readyz", (IEnumerable<IReadinessCheck> checks) =>
        {
            var body = new StringBuilder();
            var ready = true;
            foreach (var check in checks)
            {
                Readiness state;
                try
                {
                    state = check.Check();
                }
#pragma warning disable CA1031 // A throwing check means "not ready", never a 500 from the probe endpoint.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    state = Readiness.NotReady($"check failed: {e.Message}");
                }
                ready &= state.IsReady;
                body.Append(check.Name).Append(": ").Append(state.IsReady ? "ready" : state.Reason).Append('\n');
            }
            body.Insert(0, ready ? "ready\n" : "not ready\n");
            return Results.Text(body.ToString(), "text/plain; charset=utf-8", statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>());
        return endpoints;
    }
}
