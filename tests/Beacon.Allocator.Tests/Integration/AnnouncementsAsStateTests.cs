using System.Diagnostics;
using Beacon.Contracts;
using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>
/// Announcements are state: after the leading Allocator is killed with SIGKILL, the next leader reads every node's
/// status from the BEACON_NODES stream and reports who announces each Service at once, with nothing announced again.
/// </summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class AnnouncementsAsStateTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_a_kill_9_the_new_leader_reports_the_announcing_nodes_within_two_seconds_of_leading()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("lan", "192.168.1.0/24", "192.168.1.240-192.168.1.250");
        cluster.Server.Seed(KubeResources.Nodes, new Node
        {
            Metadata = new ObjectMeta { Name = "n2" },
            Status = new NodeStatus
            {
                Addresses = [new NodeAddress { Type = "InternalIP", Address = "192.168.1.11" }],
                Conditions = [new NodeCondition { Type = "Ready", Status = "True" }],
            },
        });
        cluster.SeedService("web");
        var first = cluster.StartAllocator("a", nats.Url);

        var options = new NatsOptions { Name = "test-agent-n2" };
        options.Urls.Add(nats.Url);
        await using var bus = new NatsEventBus(options);
        await bus.ConnectAsync();
        await using var replica = new DesiredStateReplica(bus);
        await replica.StartAsync();
        var key = new ServiceKey("default", "web");
        using var timeout = new CancellationTokenSource(Converge);
        var view = await replica.WaitForAsync(v => v.Services.ContainsKey(key), timeout.Token);
        var address = view.Services[key].Addresses.Single().Address;

        // What an agent does: the announcement (live) and, after it, its status (stored as the node's last value).
        var announcement = new Announcement("n2", key, address, "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UtcNow);
        await bus.PublishEventAsync(Subjects.Announcements("n2"), EventTypes.Announcement, announcement, EventSources.NodeAgent("n2"), "n2");
        await bus.PublishEventAsync(Subjects.NodeStatus("n2"), EventTypes.NodeStatus, new NodeStatusReport("n2", [announcement], DateTimeOffset.UtcNow),
            EventSources.NodeAgent("n2"), "n2");
        await AllocatorCluster.EventuallyAsync(() => AnnouncersAsync(bus, key).GetAwaiter().GetResult(), n => n == "n2", Converge, n => $"announcers: {n}\n{cluster.Transcripts()}");

        NativeSignals.Kill(first.Pid, NativeSignals.SigKill).Should().Be(0);
        cluster.StartAllocator("b", nats.Url);
        await AllocatorCluster.EventuallyAsync(() => cluster.Lease()?.Spec?.HolderIdentity, h => h == "b", Converge, h => $"lease holder {h}\n{cluster.Transcripts()}");
        var leading = Stopwatch.StartNew();
        var seen = await AllocatorCluster.EventuallyAsync(
            () => AnnouncersAsync(bus, key).GetAwaiter().GetResult(), n => n == "n2", TimeSpan.FromSeconds(10), n => $"announcers: {n}\n{cluster.Transcripts()}");
        leading.Stop();

        seen.Should().Be("n2");
        leading.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the new leader reads every node's status from the stream, it does not wait for announcements");
    }

    /// <summary>What <c>beaconctl status</c> shows for the Service: its announcing nodes, or "-" when none / no answer.</summary>
    private static async Task<string> AnnouncersAsync(NatsEventBus bus, ServiceKey key)
    {
        try
        {
            var reply = await bus.RequestAsync(Subjects.QueryStatus, CloudEventCodec.Encode(QueryEventTypes.StatusRequest, new StatusQueryRequest(), "/test"), TimeSpan.FromMilliseconds(500));
            var status = CloudEventCodec.Decode(reply.Payload.Span, QueryEventTypes.StatusReply).Value;
            var service = status?.Services.FirstOrDefault(s => s.Service == key);
            return service is null || service.AnnouncingNodes.Count == 0 ? "-" : string.Join(",", service.AnnouncingNodes);
        }
        catch (Exception ex) when (ex is TimeoutException or EventBusUnavailableException)
        {
            return "-";
        }
    }
}
