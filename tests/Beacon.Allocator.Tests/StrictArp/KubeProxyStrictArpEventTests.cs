using Beacon.Allocator.Tests.Integration;
using k8s;
using k8s.Models;

namespace Beacon.Allocator.Tests.StrictArp;

/// <summary>The Allocator process against the test API server: kube-proxy's ConfigMap with IPVS and strictARP false gets a Warning Event.</summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class KubeProxyStrictArpEventTests
{
    [Fact]
    public async Task The_kube_proxy_configmap_gets_a_warning_event_naming_the_fix()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "kube-proxy", NamespaceProperty = "kube-system" },
            Data = new Dictionary<string, string>
            {
                ["config.conf"] = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  strictARP: false\n",
            },
        }, "kube-system");
        cluster.StartAllocator("a");

        var events = await AllocatorCluster.EventuallyAsync(
            () => cluster.Server.Store.All(Beacon.KubeApiServer.ApiResourceCatalog.ById("events"))
                .Where(e => e["reason"]?.GetValue<string>() == "StrictARPDisabled").ToList(),
            e => e.Count > 0, TimeSpan.FromSeconds(60), _ => cluster.Transcripts());
        var warning = events[0];
        warning["type"]!.GetValue<string>().Should().Be("Warning");
        warning["involvedObject"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
        warning["involvedObject"]!["name"]!.GetValue<string>().Should().Be("kube-proxy");
        warning["message"]!.GetValue<string>().Should().Contain("sed -e \"s/strictARP: false/strictARP: true/\"");
    }
}
