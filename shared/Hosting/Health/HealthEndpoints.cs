using System.Text;
using Beacon.Hosting.Http;
using Prometheus;

namespace Beacon.Hosting.Health;

/// <summary>/healthz (the process answers), /readyz (every readiness check passes) and /metrics (Prometheus text, written by prometheus-net from the service's <see cref="CollectorRegistry"/>).</summary>
public sealed class HealthEndpoints(IEnumerable<IReadinessCheck> checks, CollectorRegistry metrics)
{
    /// <summary>The content types prometheus-net's ASP.NET Core middleware served for its two formats.</summary>
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The response for a GET of the request's path; null when no endpoint has that path.</summary>
    public async Task<HttpResponse?> GetAsync(HttpRequestHead request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path switch
        {
            "/healthz" => HttpResponse.Text(200, "ok\n"),
            "/readyz" => Readyz(),
            "/metrics" => await MetricsAsync(request.AcceptsOpenMetrics, cancellationToken).ConfigureAwait(false),
            _ => null,
        };
    }

    private HttpResponse Readyz()
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
        return HttpResponse.Text(ready ? 200 : 503, body.ToString());
    }

    /// <summary>The Prometheus text format 0.0.4, or OpenMetrics when the scraper asks for it, as prometheus-net's middleware served.</summary>
    private async Task<HttpResponse> MetricsAsync(bool openMetrics, CancellationToken cancellationToken)
    {
        try
        {
            using var text = new MemoryStream();
            await metrics.CollectAndExportAsTextAsync(text, openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText, cancellationToken).ConfigureAwait(false);
            return new HttpResponse(200, openMetrics ? OpenMetricsContentType : MetricsContentType, text.ToArray());
        }
        catch (ScrapeFailedException e)
        {
            // As prometheus-net's middleware: a collector that refuses the scrape is a 503 with its reason.
            return HttpResponse.Text(503, $"scrape failed: {e.Message}\n");
        }
    }
}
