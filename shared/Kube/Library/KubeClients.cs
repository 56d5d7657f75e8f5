using Beacon.Kube.Client;
using k8s;

namespace Beacon.Kube.Library;

/// <summary>The official client as Beacon uses it: the library's configuration and HTTP stack, plus our rate limit.</summary>
public static class KubeClients
{
    public static Kubernetes Create(KubernetesClientConfiguration configuration, double qps, int burst, string? userAgent = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (userAgent is not null)
        {
            configuration.UserAgent = userAgent;
        }

        return new Kubernetes(configuration, new RateLimitingHandler(new TokenBucket(qps, burst)));
    }
}
