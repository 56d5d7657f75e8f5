using System.Text.Json.Nodes;
using k8s;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>
/// A cluster configured for MetalLB or OpenELB keeps working when Beacon replaces them: their objects (and MetalLB
/// ≤ 0.12's ConfigMap), created through the Kubernetes API, are pools the Allocator allocates from.
/// </summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class ForeignFormatsInClusterTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_MetalLB_pool_created_through_the_API_serves_a_Service_and_deleting_it_takes_no_address_away()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        using var client = Client(cluster);
        cluster.SeedService("web", annotations: new Dictionary<string, string> { ["metallb.universe.tf/address-pool"] = "office" });
        cluster.StartAllocator("a");

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Object("metallb.io/v1beta1", "IPAddressPool", "office", "metallb-system",
            new JsonObject { ["addresses"] = new JsonArray("192.168.9.10-192.168.9.20") }), "metallb.io", "v1beta1", "metallb-system", "ipaddresspools");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Object("metallb.io/v1beta1", "L2Advertisement", "office-l2", "metallb-system",
            new JsonObject { ["ipAddressPools"] = new JsonArray("office") }), "metallb.io", "v1beta1", "metallb-system", "l2advertisements");

        var address = await AllocatorCluster.EventuallyAsync(() => cluster.Service("web") is { } s ? AllocatorCluster.AddressOf(s) : null,
            a => a is not null, Converge, a => a + "\n" + cluster.Transcripts());
        AllocatorCluster.InRange(address!, "192.168.9.10", "192.168.9.20").Should().BeTrue();

        // Like a deleted ServiceGroup: the address stays with the Service, reported stale, and is not released.
        string Assigned() => cluster.Service("web")?.Status?.Conditions?.SingleOrDefault(c => c.Type == "beacon.io/AddressAssigned") is { } c
            ? $"{c.Status}/{c.Reason}: {c.Message}" : "";
        var before = Assigned();
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("metallb.io", "v1beta1", "metallb-system", "ipaddresspools", "office");
        (await AllocatorCluster.EventuallyAsync(Assigned, c => c != before, Converge, c => before + " -> " + c + "\n" + cluster.Transcripts()))
            .Should().Contain("group deleted");
        AllocatorCluster.AddressOf(cluster.Service("web")!).Should().Be(address);
    }

    [Fact]
    public async Task An_OpenELB_Eip_created_through_the_API_serves_a_Service_that_names_it()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        using var client = Client(cluster);
        cluster.SeedService("shop", annotations: new Dictionary<string, string>
        {
            ["lb.kubesphere.io/v1alpha1"] = "openelb",
            ["eip.openelb.kubesphere.io/v1alpha2"] = "eip-lan",
        });
        cluster.StartAllocator("a");

        await client.CustomObjects.CreateClusterCustomObjectAsync(Object("network.kubesphere.io/v1alpha2", "Eip", "eip-lan", null,
            new JsonObject { ["address"] = "192.168.8.30-192.168.8.40", ["protocol"] = "layer2", ["interface"] = "eth0" }),
            "network.kubesphere.io", "v1alpha2", "eips");

        var address = await AllocatorCluster.EventuallyAsync(() => cluster.Service("shop") is { } s ? AllocatorCluster.AddressOf(s) : null,
            a => a is not null, Converge, a => a + "\n" + cluster.Transcripts());
        AllocatorCluster.InRange(address!, "192.168.8.30", "192.168.8.40").Should().BeTrue();

        // The Eip shows its usage the way OpenELB kept it, read back through the official client.
        async Task<string> Status()
        {
            var eip = await client.CustomObjects.GetClusterCustomObjectAsync("network.kubesphere.io", "v1alpha2", "eips", "eip-lan");
            return JsonNode.Parse(k8s.KubernetesJson.Serialize(eip))?["status"]?.ToJsonString() ?? "";
        }

        var deadline = DateTime.UtcNow + Converge;
        var status = await Status();
        while (!status.Contains("\"usage\":1", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            status = await Status();
        }

        var written = JsonNode.Parse(status)!;
        written["usage"]!.GetValue<int>().Should().Be(1, status);
        written["poolSize"]!.GetValue<int>().Should().Be(11);
        written["used"]![address!]!.GetValue<string>().Should().Be("default/shop");
        written["conditions"]![0]!["reason"]!.GetValue<string>().Should().Be("Valid");
    }

    [Fact]
    public async Task MetalLBs_legacy_ConfigMap_created_through_the_API_is_read_by_name_and_serves_a_Service()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        using var client = Client(cluster);
        cluster.SeedService("ingress", annotations: new Dictionary<string, string> { ["metallb.universe.tf/address-pool"] = "legacy" });
        cluster.StartAllocator("a");

        await client.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "config", NamespaceProperty = "metallb-system" },
            Data = new Dictionary<string, string>
            {
                ["config"] = "address-pools:\n- name: legacy\n  protocol: layer2\n  addresses:\n  - 192.168.7.14-192.168.7.20\n",
            },
        }, "metallb-system");

        var address = await AllocatorCluster.EventuallyAsync(() => cluster.Service("ingress") is { } s ? AllocatorCluster.AddressOf(s) : null,
            a => a is not null, Converge, a => a + "\n" + cluster.Transcripts());
        address.Should().Be("192.168.7.14", "the lowest address of the ConfigMap's pool");
    }

    private static k8s.Kubernetes Client(AllocatorCluster cluster) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));

    private static JsonObject Object(string apiVersion, string kind, string name, string? ns, JsonObject spec)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
    }
}
