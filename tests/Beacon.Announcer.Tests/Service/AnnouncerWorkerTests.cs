using Beacon.Announcer.Convergence;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Service;
using Beacon.Announcer.Tests.Convergence;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.Service;

/// <summary>The announcer service against a real nats-server: it follows its node's announcements and nothing else.</summary>
public sealed class AnnouncerWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_mode_gets_what_the_kernel_holds_at_start_then_follows_this_nodes_announcements_only()
    {
        await using var server = await NatsServer.StartAsync();
        var options = new NatsOptions { Name = "announcer-test" };
        options.Urls.Add(server.Url);
        await using var bus = new NatsEventBus(options);
        await using var publisher = new NatsEventBus(options);
        await publisher.ConnectAsync();
        await using var replica = new DesiredStateReplica(bus);
        var mode = new RecordingMode();
        var seed = new FixedSeed([new HeldAddress("198.19.10.5", null, "kube-lb0", AnnouncementRole.Member)]);
        using var worker = new AnnouncerWorker(
            bus, replica, mode, "node1", Desired.Communities, Modes.Peers.PeerContext.Default, seed,
            new ConvergenceTimings(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            TimeProvider.System, NullLoggerFactory.Instance)
        { FirstSyncWait = TimeSpan.FromMilliseconds(200) };

        await worker.StartAsync(default);
        try
        {
            await LastSetAsync(mode, ["198.19.10.5"]);
            var web = new ServiceKey("default", "web");
            await Publish(publisher, "node1", new Announcement("node1", web, "198.19.10.7", "kube-lb0", AnnouncementRole.Member, "elected", DateTimeOffset.UtcNow));
            await Publish(publisher, "node2", new Announcement("node2", web, "198.19.10.8", "kube-lb0", AnnouncementRole.Member, "elected", DateTimeOffset.UtcNow));
            await Publish(publisher, "node1", new Announcement("node1", web, "198.19.10.5", "kube-lb0", AnnouncementRole.Withdrawn, "released", DateTimeOffset.UtcNow));

            var set = await LastSetAsync(mode, ["198.19.10.7"]);
            set.Addresses.Should().ContainSingle().Which.Should().Match<AnnouncedAddress>(a =>
                a.Service == "default/web" && a.Kind == AddressKind.KubeLb0 && a.Attributes.Equals(Desired.Communities));
        }
        finally
        {
            await worker.StopAsync(default);
        }
    }

    private static async Task Publish(IEventBus bus, string node, Announcement announcement) =>
        (await bus.PublishEventAsync(Subjects.Announcements(node), EventTypes.Announcement, announcement, "/test/" + node, node)).Should().BeTrue();

    private static async Task<AnnouncementSet> LastSetAsync(RecordingMode mode, string[] addresses)
    {
        var last = await Eventually.MatchesAsync(
            () => Task.FromResult(mode.Applies.Count > 0 ? mode.Applies[^1].Set : null),
            s => s is not null && s.Addresses.Select(a => a.Address.ToString()).SequenceEqual(addresses),
            Deadline,
            $"the mode applying [{string.Join(", ", addresses)}]");
        return last!;
    }

    private sealed class FixedSeed(IReadOnlyList<HeldAddress> addresses) : IHeldAddressSeed
    {
        public IReadOnlyList<HeldAddress> Read() => addresses;
    }
}
