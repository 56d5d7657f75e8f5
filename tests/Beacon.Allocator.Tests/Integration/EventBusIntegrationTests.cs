using Beacon.Contracts;
using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>The Allocator with a real nats-server: node agents see what they must plumb, and their announcements show up on the Service.</summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class EventBusIntegrationTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Publishes_what_nodes_need_and_shows_who_announces()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("lan", "192.168.1.0/24", "192.168.1.240-192.168.1.250");
        foreach (var (name, ip) in new[] { ("n1", "192.168.1.10"), ("n2", "192.168.1.11") })
        {
            cluster.Server.Seed(KubeResources.Nodes, new Node
            {
                Metadata = new ObjectMeta { Name = name },
                Status = new NodeStatus
                {
                    Addresses = [new NodeAddress { Type = "InternalIP", Address = ip }],
                    Conditions = [new NodeCondition { Type = "Ready", Status = "True" }],
                },
            });
        }

        cluster.SeedService("web");
        cluster.Server.Store.Patch(Beacon.KubeApiServer.ApiResourceCatalog.ById("services"), "default", "web",
            System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"externalTrafficPolicy":"Local"}}""")!, statusOnly: false);
        cluster.Server.Seed(KubeResources.EndpointSlices, new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = "web-abc", Namespace = "default", Labels = new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = "web" } },
            AddressType = "IPv4",
            Endpoints =
            [
                new Endpoint { Addresses = ["10.244.1.5"], NodeName = "n1", Conditions = new EndpointConditions { Ready = false } },
                new Endpoint { Addresses = ["10.244.2.5"], NodeName = "n2", Conditions = new EndpointConditions { Ready = true } },
            ],
        });
        cluster.StartAllocator("a", nats.Url);

        var options = new NatsOptions { Name = "test-agent" };
        options.Urls.Add(nats.Url);
        await using var bus = new NatsEventBus(options);
        await bus.ConnectAsync();
        await using var replica = new DesiredStateReplica(bus);
        await replica.StartAsync();
        var key = new ServiceKey("default", "web");
        using var timeout = new CancellationTokenSource(Converge);
        var view = await replica.WaitForAsync(v => v.Synchronized && v.Services.TryGetValue(key, out var c) && c.ReadyNodes.Count == 1, timeout.Token);

        var change = view.Services[key];
        change.ReadyNodes.Should().Equal("n2");
        change.ExternalTrafficPolicy.Should().Be(TrafficPolicy.Local);
        change.ServiceGroup.Should().Be("lan");
        var address = change.Addresses.Single();
        address.Placement.Should().Be(AddressPlacement.Local, "the nodes live in 192.168.1.0/24");
        address.PrefixLength.Should().Be(24);
        AllocatorCluster.AddressOf(cluster.Service("web")!).Should().Be(address.Address, "the bus and the Service status agree");

        await bus.PublishEventAsync(Subjects.Announcements("n2"), EventTypes.Announcement,
            new Announcement("n2", key, address.Address, "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UtcNow), EventSources.NodeAgent("n2"), "n2");

        await AllocatorCluster.EventuallyAsync(() => cluster.Service("web")!,
            s => s.Metadata.Annotations?.GetValueOrDefault("beacon.io/announcing-nodes") == "n2", Converge, _ => cluster.Transcripts());

        // Deleting the Service releases it on the bus too.
        cluster.Server.Store.Delete(Beacon.KubeApiServer.ApiResourceCatalog.ById("services"), "default", "web");
        await replica.WaitForAsync(v => !v.Services.ContainsKey(key), timeout.Token);
    }
}
