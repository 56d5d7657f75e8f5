using Beacon.Kube.Client;
using k8s;

namespace Beacon.Kube.Library;

/// <summary>The official client as Beacon uses it: the library's configuration and HTTP stack, plus our rate limit and client-go's retry of throttled (429 + Retry-After) requests.</summary>
public static class KubeClients
{
    public static Kubernetes Create(KubernetesClientConfiguration configuration, double qps, int burst, string? userAgent = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (userAgent is not null)
        {
            configuration.UserAgent = userAgent;
        }

        // Throttling answers are retried outside the limiter, so each retry waits for a token like any request.
        return new Kubernetes(configuration, new RetryAfterHandler(), new RateLimitingHandler(new TokenBucket(qps, burst)));
    }
}
