using System.Net;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Bus;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using Beacon.TestSupport;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

using static Beacon.NodeAgent.Tests.Defence.DefenceObservations;

namespace Beacon.NodeAgent.Tests.Defence;

/// <summary>
/// A lasting double owner healing, against the real kernel and a real nats-server: owner B's conflict watch and its
/// peer-status feed run; a claimant (another node's MAC) announces B's address until B gives it up on the wire, so the
/// client's neighbour entry ends on the claimant's MAC. A status from a peer that never held the address changes
/// nothing; the claimant node's own status saying it let the address go brings the client back to B's MAC at once,
/// instead of after the client's neighbour unreachability detection.
/// </summary>
public sealed class ReannounceNamespaceTests : IClassFixture<NatsServerFixture>
{
    private const string Owner = "node-b";
    private static readonly MacAddress Claimant = MacAddress.Parse("02:00:00:00:be:ef");
    private readonly NatsServerFixture _nats;

    public ReannounceNamespaceTests(NatsServerFixture nats) => _nats = nats;

    [Theory]
    [InlineData("198.18.0.200", 32)]
    [InlineData("fd00:beac::200", 128)]
    public async Task When_the_other_owner_reports_letting_go_the_client_returns_to_the_owner_given_up_on_the_wire(string address, int prefix)
    {
        var ip = IPAddress.Parse(address);
        var v6 = prefix == 128;
        var family = v6 ? "ipv6" : "ipv4";
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        var client = await lab.AddHostAsync("client");
        var other = await lab.AddHostAsync("other");
        var nodeMac = await lan.AttachAsync(node, "eth0", "198.18.0.2/24", "fd00:beac::2/64");
        await lan.AttachAsync(client, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
        await lan.AttachAsync(other, "eth0", "198.18.0.3/24", "fd00:beac::3/64");
        await node.IpAsync("addr", "add", $"{address}/{prefix}", "dev", "eth0", "nodad");
        var registry = Metrics.NewCustomRegistry();
        using var watch = new AddressConflictWatch(new AgentMetrics(Metrics.WithCustomRegistry(registry)), NullLogger<AddressConflictWatch>.Instance, namespaceName: node.Name);
        await using var nodeBus = await ConnectAsync(Owner);
        await using var feed = await PeerStatusFeed.StartAsync(nodeBus, Owner, watch, new DroppedMessageReporter(NullLogger.Instance, new MessagingCounters()), CancellationToken.None);
        await using var peersBus = await ConnectAsync("peers");
        using var claims = PcapFrameChannel.Open("eth0", filter: null, other.Name);
        var claim = Announcements.For(ip, Claimant);

        watch.Owned([new Beacon.NodeAgent.Domain.PlumbedAddress(ip, prefix, "eth0")]);
        await EventuallyAsync(() => Task.FromResult(watch.Watched.ContainsKey(ip)), "the watch captures for the owned address");
        await EventuallyAsync(async () => (await client.ExecAsync(v6 ? ["ping", "-6", "-c1", "-W1", address] : ["ping", "-c1", "-W1", address])).Succeeded, "the client reaches the address");
        (await NeighbourAsync(client, address)).Should().BeEquivalentTo(nodeMac);
        // node-a held the address before (its status said so), as a node cut off from the bus keeps its addresses.
        await PublishStatusAsync(peersBus, "node-a", address);

        // The claimant announces again after each defence until the owner gives the address up on the wire.
        while (Count(registry, $"beacon_nodeagent_address_conflicts_total{{address_family=\"{family}\",outcome=\"given_up\"}}") == 0)
        {
            var defences = Count(registry, "beacon_nodeagent_address_defences_total{");
            claims.Send(claim);
            await EventuallyAsync(() => Task.FromResult(Count(registry, "beacon_nodeagent_address_defences_total{") > defences
                || Count(registry, $"beacon_nodeagent_address_conflicts_total{{address_family=\"{family}\",outcome=\"given_up\"}}") > 0), "a defence or giving up");
        }

        await EventuallyAsync(async () => string.Equals(await NeighbourAsync(client, address), Claimant.ToString(), StringComparison.OrdinalIgnoreCase),
            "given up: the client stays on the claimant's MAC");

        // Control: a peer that never held the address reports holding nothing: no release, nothing sent.
        await PublishStatusAsync(peersBus, "node-c");
        await EventuallyAsync(() => Task.FromResult(feed.Peers == 2), "the feed read both peers' statuses");
        Count(registry, "beacon_nodeagent_address_reannouncements_total{").Should().Be(0);
        (await NeighbourAsync(client, address)).Should().BeEquivalentTo(Claimant.ToString(), "nothing was announced");

        // The other owner withdrew the address (the bus is back) and says so: the owner re-announces it once.
        await PublishStatusAsync(peersBus, "node-a");
        await EventuallyAsync(async () => string.Equals(await NeighbourAsync(client, address), nodeMac, StringComparison.OrdinalIgnoreCase),
            "the client's neighbour entry returns to the owner's MAC");
        Count(registry, $"beacon_nodeagent_address_reannouncements_total{{address_family=\"{family}\"}}").Should().Be(1);
        Count(registry, "beacon_nodeagent_address_defences_total{").Should().BeLessThanOrEqualTo(Beacon.NodeAgent.Domain.DefenceSchedule.DefaultDefencesPerEpisode,
            "the re-announcement is not a defence");
    }

    private async Task<NatsEventBus> ConnectAsync(string name)
    {
        var options = new NatsOptions { Name = name };
        options.Urls.Add(_nats.Url);
        var bus = new NatsEventBus(options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await bus.ConnectAsync(deadline.Token);
        return bus;
    }

    private static async Task PublishStatusAsync(IEventBus bus, string node, params string[] owned)
    {
        var status = new NodeStatusReport(node,
            [.. owned.Select(a => new Announcement(node, new ServiceKey("default", "web"), a, "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UtcNow))], DateTimeOffset.UtcNow);
        (await bus.PublishEventAsync(Subjects.NodeStatus(node), EventTypes.NodeStatus, status, BusAnnouncementSink.EventSource(node), node)).Should().BeTrue();
        (await bus.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }
}
