using k8s;
using k8s.Exceptions;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Where the Allocator finds its cluster, all through the official client's configuration (every auth mode it supports:
/// tokens and token files, client certificates, exec credential plugins, OIDC, in-cluster service accounts, proxies):
/// $KUBECONFIG, else ~/.kube/config, else the pod's service account.
/// </summary>
internal static class ClusterConfiguration
{
    public static KubernetesClientConfiguration Load()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("KUBECONFIG"))
            || File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
        {
            return KubernetesClientConfiguration.BuildDefaultConfig();
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        // The library would fall back to http://localhost:8080 without a word; an operator needs to know instead.
        throw new KubeConfigException(
            "no cluster configuration: set KUBECONFIG (or create ~/.kube/config), or run in a pod with a service account " +
            "(KUBERNETES_SERVICE_HOST/PORT and /var/run/secrets/kubernetes.io/serviceaccount)");
    }
}
