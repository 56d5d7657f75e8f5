using System.Text;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.JetStream;

namespace Beacon.Messaging.Tests.Streams;

/// <summary>
/// The one reader of whole sets published as last values (BGP peers, LBNodeAgents): each valid set replaces the last,
/// a repeat is no change, anything refused leaves the set as it was; a (re)started reader gets the stored set first.
/// </summary>
public sealed class LastValueSetTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private sealed class Peers() : LastValueSet<BgpPeerSet, BgpPeerConfig>(
        BeaconStreams.BgpPeers, Subjects.BgpPeers, EventTypes.BgpPeers, "BGP peer", set => set.Peers, peer => peer.Name);

    private static BgpPeerConfig Peer(string name, string address = "198.18.0.1") =>
        new(name, 64512, 64513, address, null, null, null, null, false, null, false, null, null, []);

    private static BusMessage Message(params BgpPeerConfig[] peers) =>
        new(Subjects.BgpPeers, null, CloudEventCodec.Encode(EventTypes.BgpPeers, new BgpPeerSet(peers), EventSources.Allocator));

    [Fact]
    public void Unknown_until_the_first_set_then_each_set_replaces_the_last_and_a_repeat_is_received_but_no_change()
    {
        var set = new Peers();
        var (changes, received) = (0, 0);
        set.Changed += (_, _) => changes++;
        set.Received += (_, _) => received++;
        set.Current.Should().BeNull();

        set.Apply(Message(Peer("a"), Peer("b"))).Should().BeNull();
        set.Apply(Message(Peer("a"), Peer("b"))).Should().BeNull();
        set.Apply(Message(Peer("b"))).Should().BeNull();
        set.Apply(Message()).Should().BeNull();

        set.Current.Should().BeEmpty("an empty set is known: every object was deleted");
        (changes, received).Should().Be((3, 4));
    }

    [Fact]
    public void Garbage_a_foreign_subject_another_type_or_a_name_twice_is_refused_and_the_set_stays()
    {
        var set = new Peers();
        set.Apply(Message(Peer("a")));
        var changes = 0;
        set.Changed += (_, _) => changes++;

        set.Apply(new BusMessage(Subjects.BgpPeers, null, Encoding.UTF8.GetBytes("{not json"))).Should().NotBeNull();
        set.Apply(Message(Peer("x")) with { Subject = Subjects.NodeAgentConfig })!.Kind.Should().Be(DecodeErrorKind.SubjectMismatch);
        set.Apply(new BusMessage(Subjects.BgpPeers, null, CloudEventCodec.Encode(EventTypes.NodeAgentConfig, new NodeAgentConfigSet([]), EventSources.Allocator)))!
            .Kind.Should().Be(DecodeErrorKind.UnexpectedType);
        set.Apply(Message(Peer("x"), Peer("x", "198.18.0.9")))!.Message.Should().Contain("'x' appears twice");

        set.Current!.Select(p => p.Name).Should().Equal("a");
        changes.Should().Be(0);
    }

    [Property(MaxTest = 300)]
    public Property After_any_sequence_of_sets_the_current_set_is_the_last_one_and_each_difference_is_one_change()
    {
        var sets = Gen.ListOf(Gen.SubListOf("a", "b", "c").Select(l => l.ToArray())).Select(l => l.ToArray());
        return Prop.ForAll(sets.ToArbitrary(), sequence =>
        {
            var set = new Peers();
            var changes = 0;
            set.Changed += (_, _) => changes++;
            foreach (var peers in sequence)
            {
                set.Apply(Message([.. peers.Select(n => Peer(n))]));
            }

            var expected = sequence.Where((peers, i) => i == 0 || !peers.SequenceEqual(sequence[i - 1])).Count();
            var current = sequence.Length == 0 ? set.Current is null : set.Current!.Select(p => p.Name).SequenceEqual(sequence[^1]);
            return current && changes == expected;
        });
    }

    [Fact]
    public async Task With_nothing_stored_the_first_read_completes_at_once_and_without_a_reader_the_wait_gives_up_at_its_bound()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocator = await ConnectedAsync(server);
        await using var node = new NatsEventBus(Options(server));
        var set = new Peers();
        await using (set.Start(node, NullLogger.Instance))
        {
            node.Start();
            (await set.WaitFirstReadAsync(Deadline, CancellationToken.None)).Should().BeTrue("an empty stream is read through at once");
            set.Current.Should().BeNull();
        }

        (await new Peers().WaitFirstReadAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None)).Should().BeFalse("never started");
    }

    [Fact]
    public async Task A_restarted_reader_gets_the_set_stored_before_it_started_then_every_new_one()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocator = await ConnectedAsync(server);
        await PublishAsync(allocator, Peer("old"));
        await PublishAsync(allocator, Peer("b"));

        await using var node = new NatsEventBus(Options(server));
        var set = new Peers();
        await using (set.Start(node, NullLogger.Instance))
        {
            node.Start();
            (await set.WaitFirstReadAsync(Deadline, CancellationToken.None)).Should().BeTrue();
            set.Current!.Select(p => p.Name).Should().Equal("b");

            await PublishAsync(allocator, Peer("c"));

            await Eventually.MatchesAsync(() => Task.FromResult(set.Current), c => c is { Count: 1 } && c[0].Name == "c", Deadline, "the new set [c]");
        }
    }

    private static NatsOptions Options(NatsServer server)
    {
        var options = new NatsOptions { Name = "last-value-set-test" };
        options.Urls.Add(server.Url);
        return options;
    }

    private static async Task<NatsEventBus> ConnectedAsync(NatsServer server)
    {
        var bus = new NatsEventBus(Options(server));
        await bus.ConnectAsync();
        await StreamProvisioner.EnsureAsync(bus.JetStream, new JetStreamOptions(), CancellationToken.None);
        return bus;
    }

    private static async Task PublishAsync(NatsEventBus bus, params BgpPeerConfig[] peers) =>
        (await bus.JetStream.PublishAsync(Subjects.BgpPeers, CloudEventCodec.Encode(EventTypes.BgpPeers, new BgpPeerSet(peers), EventSources.Allocator))).EnsureSuccess();
}
