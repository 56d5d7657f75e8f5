using Beacon.Announcer.Service;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using Microsoft.Extensions.Logging.Abstractions;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Service;

/// <summary>Against a real nats-server: a (re)started Announcer reads the current set from BEACON_BGP_PEERS, then follows it.</summary>
public sealed class ClusterPeersReaderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_restarted_reader_gets_the_last_set_stored_before_it_started_then_every_new_one()
    {
        await using var server = await NatsServer.StartAsync();
        var options = new NatsOptions { Name = "peers-test" };
        options.Urls.Add(server.Url);
        await using var allocator = new NatsEventBus(options);
        await allocator.ConnectAsync();
        await StreamProvisioner.EnsureAsync(allocator.JetStream, new JetStreamOptions(), CancellationToken.None);
        await PublishAsync(allocator, Peer("a"), Peer("b", "198.18.0.2"));
        await PublishAsync(allocator, Peer("b", "198.18.0.2"));
        (await allocator.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();

        await using var node = new NatsEventBus(options);
        var peers = new ClusterPeers();
        await using (ClusterPeersReader.Start(node, peers, NullLogger.Instance))
        {
            await Eventually.MatchesAsync(() => Task.FromResult(peers.Current), c => c is { Count: 1 } && c[0].Name == "b", Deadline, "the stored set [b]");

            await PublishAsync(allocator, Peer("c", "198.18.0.3"));

            await Eventually.MatchesAsync(() => Task.FromResult(peers.Current), c => c is { Count: 1 } && c[0].Name == "c", Deadline, "the new set [c]");
        }
    }

    private static async Task PublishAsync(IEventBus bus, params BgpPeerConfig[] peers) =>
        (await bus.PublishEventAsync(Subjects.BgpPeers, EventTypes.BgpPeers, new BgpPeerSet(peers), EventSources.Allocator)).Should().BeTrue();
}
