using Beacon.Kube.Client;
using k8s;

namespace Beacon.Kube.Library;

/// <summary>The official client as Beacon uses it: the library's configuration and HTTP stack, plus our rate limit.</summary>
public static class KubeClients
{
    public static Kubernetes Create(KubernetesClientConfiguration configuration, double qps, int burst, string? userAgent = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var limit = new RateLimitingHandler(new TokenBucket(qps, burst));
        return userAgent is null ? new Kubernetes(configuration, limit) : new Kubernetes(configuration, new UserAgentHandler(userAgent), limit);
    }
}
