using Beacon.Allocator.NodeAgents;
using Beacon.Contracts;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.TestSupport.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Allocator.Tests.NodeAgents;

/// <summary>Against a real nats-server: the leader stores the LBNodeAgent set, even before any stream exists, and only when it changes.</summary>
public sealed class NodeAgentConfigPublisherTests
{
    private static NodeAgentConfig Peer(string name) => new(name, null, true, "eth0", null, [], null, null, null, null, null);

    [Fact]
    public async Task The_first_set_of_a_term_is_stored_even_with_no_stream_yet_an_unchanged_one_is_not_a_changed_one_is()
    {
        await using var server = await NatsServer.StartAsync();
        var options = new NatsOptions { Name = "allocator-test" };
        options.Urls.Add(server.Url);
        await using var bus = new NatsEventBus(options);
        await bus.ConnectAsync();
        using var publisher = new NodeAgentConfigPublisher(bus, NullLogger.Instance);

        await publisher.PublishAsync([Peer("b"), Peer("a")], default);
        (await LastSequenceAsync(bus)).Should().Be(1, "the stream was created and the set stored, acknowledged");

        await publisher.PublishAsync([Peer("a"), Peer("b")], default);
        (await LastSequenceAsync(bus)).Should().Be(1, "the same set (order does not matter) is not stored again");

        await publisher.PublishAsync([Peer("a")], default);
        (await LastSequenceAsync(bus)).Should().Be(2);

        using var nextTerm = new NodeAgentConfigPublisher(bus, NullLogger.Instance);
        await nextTerm.PublishAsync([Peer("a")], default);
        (await LastSequenceAsync(bus)).Should().Be(3, "a new term publishes its first set even unchanged (a node agent that missed the old one reads it)");
        var stream = await bus.JetStream.GetStreamAsync(BeaconStreams.NodeAgentConfig);
        stream.Info.State.Messages.Should().Be(1, "last value only");
    }

    private static async Task<ulong> LastSequenceAsync(NatsEventBus bus) =>
        (await bus.JetStream.GetStreamAsync(BeaconStreams.NodeAgentConfig)).Info.State.LastSeq;
}
