using System.Text.Json.Nodes;
using Beacon.Allocator.Tests.Integration;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.TestSupport.Nats;

namespace Beacon.Allocator.Tests.StrictArp;

/// <summary>
/// The Allocator process against the test API server and NATS: a node whose status reports IPVS without strictARP gets
/// a Warning Event on its Node naming the fix, once; when the node reports it fixed, a Normal Event says so.
/// </summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class NodeStrictArpEventTests
{
    private const string Problem = "kube-proxy runs in IPVS mode (kube-ipvs0 exists) without strictARP: arp_ignore=0 (needs 1), arp_announce=0 (needs 2); " +
        "fix: kubectl get configmap kube-proxy -n kube-system -o yaml | sed -e \"s/strictARP: false/strictARP: true/\" | kubectl apply -f - -n kube-system";

    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_reporting_ipvs_without_strictARP_gets_a_warning_event_and_a_normal_one_once_fixed()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.StartAllocator("a", nats.Url);
        await AllocatorCluster.EventuallyAsync(() => cluster.Lease()?.Spec?.HolderIdentity, h => h == "a", Converge, h => $"lease holder {h}\n{cluster.Transcripts()}");
        var options = new NatsOptions { Name = "test-agent-n2" };
        options.Urls.Add(nats.Url);
        await using var bus = new NatsEventBus(options);
        await bus.ConnectAsync();
        // The statuses must be stored for the Allocator to read them: make sure the streams exist before publishing
        // (the Allocator creates them too, but maybe after our first publish on a loaded machine).
        await StreamProvisioner.EnsureAsync(bus.JetStream, new JetStreamOptions(), CancellationToken.None);

        // What the agent on n2 publishes: its status with the finding, again with it (a burst of announcements), then without.
        await PublishAsync(bus, Problem);
        await PublishAsync(bus, Problem);
        var warning = (await EventsAsync(cluster, "StrictARPDisabled", 1)).Single();
        warning["type"]!.GetValue<string>().Should().Be("Warning");
        warning["involvedObject"]!["kind"]!.GetValue<string>().Should().Be("Node");
        warning["involvedObject"]!["name"]!.GetValue<string>().Should().Be("n2");
        warning["involvedObject"]!["uid"]!.GetValue<string>().Should().Be("n2", "kubectl describe node finds node events by the node's name as uid, as the kubelet writes them");
        warning["message"]!.GetValue<string>().Should().Contain("node n2").And.Contain("sed -e \"s/strictARP: false/strictARP: true/\"");

        await PublishAsync(bus, null);
        var fixedEvent = (await EventsAsync(cluster, "StrictARPEnabled", 1)).Single();
        fixedEvent["type"]!.GetValue<string>().Should().Be("Normal");
        fixedEvent["involvedObject"]!["name"]!.GetValue<string>().Should().Be("n2");
        (await EventsAsync(cluster, "StrictARPDisabled", 1)).Single()["count"]!.GetValue<int>().Should().Be(1, "the repeated status was no change");
    }

    private static async Task PublishAsync(NatsEventBus bus, string? problem) =>
        await bus.PublishEventAsync(Subjects.NodeStatus("n2"), EventTypes.NodeStatus, new NodeStatusReport("n2", [], DateTimeOffset.UtcNow, problem),
            EventSources.NodeAgent("n2"), "n2");

    private static Task<List<JsonNode>> EventsAsync(AllocatorCluster cluster, string reason, int count) =>
        AllocatorCluster.EventuallyAsync(
            () => cluster.Server.Store.All(Beacon.KubeApiServer.ApiResourceCatalog.ById("events"))
                .Where(e => e["reason"]?.GetValue<string>() == reason).Select(e => (JsonNode)e).ToList(),
            e => e.Count >= count, Converge, e => $"{e.Count} {reason} events\n{cluster.Transcripts()}");
}
