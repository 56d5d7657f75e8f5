using System.Text.Json.Nodes;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;
using k8s;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>
/// What MetalLB and OpenELB users read with kubectl, written by the Allocator alone through the Kubernetes API:
/// per-Service announcement status, pool counters, the configuration state, and on the newer of two overlapping
/// resources of any kind the reason it is not used.
/// </summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class StatusObjectsInClusterTests
{
    private const string Ns = AllocatorCluster.Namespace;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Announcements_become_ServiceL2Status_and_ServiceBGPStatus_objects_that_disappear_with_the_Service()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var cluster = await AllocatorCluster.StartAsync();
        using var client = Client(cluster);
        cluster.SeedGroup("lan", "192.168.1.0/24", "192.168.1.240-192.168.1.250");
        cluster.SeedService("web");
        cluster.StartAllocator("a", nats.Url);
        var address = await AllocatorCluster.EventuallyAsync(() => cluster.Service("web") is { } s ? AllocatorCluster.AddressOf(s) : null,
            a => a is not null, Converge, a => a + "\n" + cluster.Transcripts());

        var options = new NatsOptions { Name = "test-agents" };
        options.Urls.Add(nats.Url);
        await using var bus = new NatsEventBus(options);
        await bus.ConnectAsync();
        var key = new ServiceKey("default", "web");
        // n2 owns the address in layer 2 on eth0; n3 carries it for its routing daemon.
        await bus.PublishEventAsync(Subjects.Announcements("n2"), EventTypes.Announcement,
            new Announcement("n2", key, address!, "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UtcNow), EventSources.NodeAgent("n2"), "n2");
        await bus.PublishEventAsync(Subjects.Announcements("n3"), EventTypes.Announcement,
            new Announcement("n3", key, address!, "kube-lb0", AnnouncementRole.Member, "member", DateTimeOffset.UtcNow), EventSources.NodeAgent("n3"), "n3");

        // (An object is created, then its status written through the status subresource: wait for both.)
        var l2 = await EventuallyAsync(() => ListAsync(client, "servicel2statuses"), items => items.Count == 1 && items[0]["status"] is not null, cluster);
        l2[0]["status"]!.ToJsonString().Should().Be("""{"node":"n2","serviceName":"web","serviceNamespace":"default","interfaces":[{"name":"eth0"}]}""");
        l2[0]["metadata"]!["labels"]!["metallb.io/service-name"]!.GetValue<string>().Should().Be("web");
        l2[0]["metadata"]!["labels"]!["metallb.io/node"]!.GetValue<string>().Should().Be("n2");
        var bgp = await EventuallyAsync(() => ListAsync(client, "servicebgpstatuses"), items => items.Count == 1 && items[0]["status"] is not null, cluster);
        bgp[0]["status"]!["node"]!.GetValue<string>().Should().Be("n3");
        bgp[0]["status"]!["serviceName"]!.GetValue<string>().Should().Be("web");

        // n3's routing Announcer reports the BGP peers it hands the route to: the ServiceBGPStatus lists them, as MetalLB's does.
        await bus.PublishEventAsync(Subjects.Announcements("n3"), EventTypes.Announcement,
            new Announcement("n3", key, address!, "kube-lb0", AnnouncementRole.Member, "handed to BGP peers", DateTimeOffset.UtcNow, ["tor-b", "tor-a"]),
            EventSources.Announcer("n3"), "n3");
        bgp = await EventuallyAsync(() => ListAsync(client, "servicebgpstatuses"),
            items => items.Count == 1 && items[0]["status"]?["peers"] is JsonArray { Count: 2 }, cluster);
        bgp[0]["status"]!["peers"]!.ToJsonString().Should().Be("""["tor-a","tor-b"]""");
        (await ListAsync(client, "servicel2statuses")).Should().ContainSingle("a hand-off report describes a holding, it makes none");

        // n2 hands the address over to n1: the object for n2 goes, one for n1 comes.
        await bus.PublishEventAsync(Subjects.Announcements("n2"), EventTypes.Announcement,
            new Announcement("n2", key, address!, "eth0", AnnouncementRole.Withdrawn, "moved", DateTimeOffset.UtcNow), EventSources.NodeAgent("n2"), "n2");
        await bus.PublishEventAsync(Subjects.Announcements("n1"), EventTypes.Announcement,
            new Announcement("n1", key, address!, "eth1", AnnouncementRole.Owner, "elected", DateTimeOffset.UtcNow), EventSources.NodeAgent("n1"), "n1");
        await EventuallyAsync(() => ListAsync(client, "servicel2statuses"),
            items => items.Count == 1 && items[0]["status"]?["node"]?.GetValue<string>() == "n1", cluster);

        // The Service is deleted while the nodes still report it: its status objects go at once.
        await client.CoreV1.DeleteNamespacedServiceAsync("web", "default");
        await EventuallyAsync(async () => (await ListAsync(client, "servicel2statuses")).Concat(await ListAsync(client, "servicebgpstatuses")).ToList(),
            items => items.Count == 0, cluster);
    }

    [Fact]
    public async Task Pool_counters_follow_allocate_and_release_and_the_newer_of_overlapping_resources_of_every_kind_says_why()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        using var client = Client(cluster);
        cluster.SeedService("web", annotations: new Dictionary<string, string> { ["metallb.universe.tf/address-pool"] = "office" });
        cluster.StartAllocator("a");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Object("metallb.io/v1beta1", "IPAddressPool", "office", "metallb-system",
            new JsonObject { ["addresses"] = new JsonArray("192.168.9.10-192.168.9.20") }), "metallb.io", "v1beta1", "metallb-system", "ipaddresspools");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Object("metallb.io/v1beta1", "L2Advertisement", "office-l2", "metallb-system",
            new JsonObject { ["ipAddressPools"] = new JsonArray("office") }), "metallb.io", "v1beta1", "metallb-system", "l2advertisements");

        var allocated = await EventuallyAsync(() => PoolStatusAsync(client, "office"), s => s?["assignedIPv4"]?.GetValue<long>() == 1, cluster);
        allocated!["availableIPv4"]!.GetValue<long>().Should().Be(10);
        allocated["assignedIPv6"]!.GetValue<long>().Should().Be(0);
        allocated["conditions"]![0]!["status"]!.GetValue<string>().Should().Be("True");

        await client.CoreV1.DeleteNamespacedServiceAsync("web", "default");
        var released = await EventuallyAsync(() => PoolStatusAsync(client, "office"), s => s?["assignedIPv4"]?.GetValue<long>() == 0, cluster);
        released!["availableIPv4"]!.GetValue<long>().Should().Be(11);

        // Three newer resources of three kinds claim addresses of the older pool "office".
        // (Named after "office": within the same second of creation the name decides which is older.)
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Object("metallb.io/v1beta1", "IPAddressPool", "zz-late", "metallb-system",
            new JsonObject { ["addresses"] = new JsonArray("192.168.9.15/32") }), "metallb.io", "v1beta1", "metallb-system", "ipaddresspools");
        await client.CustomObjects.CreateClusterCustomObjectAsync(Object("network.kubesphere.io/v1alpha2", "Eip", "zz-eip", null,
            new JsonObject { ["address"] = "192.168.9.18-192.168.9.30", ["protocol"] = "layer2", ["interface"] = "eth0" }),
            "network.kubesphere.io", "v1alpha2", "eips");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Object("purelb.io/v1", "ServiceGroup", "zz-group", Ns,
            new JsonObject { ["local"] = new JsonObject { ["v4pool"] = new JsonObject { ["subnet"] = "192.168.9.0/24", ["pool"] = "192.168.9.12-192.168.9.13", ["aggregation"] = "default" } } }),
            "purelb.io", "v1", Ns, "servicegroups");

        var late = await EventuallyAsync(() => PoolStatusAsync(client, "zz-late"), s => s?["conditions"]?[0]?["reason"]?.GetValue<string>() == "Conflict", cluster);
        late!["conditions"]![0]!["message"]!.GetValue<string>().Should().Contain("IPAddressPool 'office'").And.Contain("older and keeps it");
        late["availableIPv4"]!.GetValue<long>().Should().Be(0, "a pool Beacon does not use shows nothing available");

        var eip = await EventuallyAsync(async () => Status(await client.CustomObjects.GetClusterCustomObjectAsync("network.kubesphere.io", "v1alpha2", "eips", "zz-eip")),
            s => s?["conditions"]?[0]?["reason"]?.GetValue<string>() == "Conflict", cluster);
        eip!["conditions"]![0]!["message"]!.GetValue<string>().Should().Contain("IPAddressPool 'office'");

        var group = await EventuallyAsync(async () => Status(await client.CustomObjects.GetNamespacedCustomObjectAsync("purelb.io", "v1", Ns, "servicegroups", "zz-group")),
            s => s?["conditions"]?[0]?["status"]?.GetValue<string>() == "False", cluster);
        group!["conditions"]![0]!["message"]!.GetValue<string>().Should().Contain("IPAddressPool 'office'").And.Contain("older and keeps it");

        // One object names them all, as MetalLB's ConfigurationState does.
        var state = await EventuallyAsync(async () => Status(await client.CustomObjects.GetNamespacedCustomObjectAsync("metallb.io", "v1beta1", Ns, "configurationstates", "controller")),
            s => s?["errorSummary"]?.GetValue<string>() is { } summary && summary.Split('\n').Length == 3, cluster);
        state!["result"]!.GetValue<string>().Should().Be("Invalid");
        state["errorSummary"]!.GetValue<string>().Should().Contain("IPAddressPool zz-late").And.Contain("Eip zz-eip").And.Contain($"ServiceGroup {Ns}/zz-group");
        state["conditions"]![0]!["type"]!.GetValue<string>().Should().Be("ConfigurationValid");

        // Another Service takes an address from "office": only that pool's status is written again, not one of the
        // status objects that did not change.
        var before = cluster.Server.Requests.Snapshot();
        cluster.SeedService("other", annotations: new Dictionary<string, string> { ["metallb.universe.tf/address-pool"] = "office" });
        await EventuallyAsync(() => PoolStatusAsync(client, "office"), s => s?["assignedIPv4"]?.GetValue<long>() == 1, cluster);
        var after = cluster.Server.Requests.Snapshot();
        var statusWrites = after.Where(p => p.Key.Verb is "create" or "update" or "patch" or "delete"
                && p.Key.Resource is "ipaddresspools/status" or "eips/status" or "servicegroups/status" or "configurationstates" or "configurationstates/status")
            .ToDictionary(p => $"{p.Key.Verb} {p.Key.Resource}", p => p.Value - before.GetValueOrDefault(p.Key));
        statusWrites.Where(p => p.Value > 0).Should().BeEquivalentTo(new Dictionary<string, long> { ["update ipaddresspools/status"] = 1 },
            string.Join(", ", after.Select(p => $"{p.Key.Verb} {p.Key.Resource}: {p.Value - before.GetValueOrDefault(p.Key)}")));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, AllocatorCluster cluster)
    {
        var deadline = DateTime.UtcNow + Converge;
        while (true)
        {
            var value = await probe();
            if (accept(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not reached within {Converge}: {System.Text.Json.JsonSerializer.Serialize(value)}\n{cluster.Transcripts()}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<List<JsonNode>> ListAsync(k8s.Kubernetes client, string plural)
    {
        var list = JsonNode.Parse(KubernetesJson.Serialize(await client.CustomObjects.ListNamespacedCustomObjectAsync("metallb.io", "v1beta1", Ns, plural)))!;
        return list["items"]!.AsArray().Select(i => i!).ToList();
    }

    private static async Task<JsonNode?> PoolStatusAsync(k8s.Kubernetes client, string name) =>
        Status(await client.CustomObjects.GetNamespacedCustomObjectAsync("metallb.io", "v1beta1", "metallb-system", "ipaddresspools", name));

    private static JsonNode? Status(object resource) => JsonNode.Parse(KubernetesJson.Serialize(resource))?["status"];

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
