using Beacon.Contracts;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Daemons;
using NATS.Client.JetStream;

namespace Beacon.Messaging.Tests.Security;

/// <summary>
/// The shipped compose permissions for the LBNodeAgent settings: only the Allocator stores them; a node reads the stream's last
/// value (as a restarted node agent does) and cannot overwrite it.
/// </summary>
public sealed class NodeAgentConfigPermissionTests : IClassFixture<ComposePermissionsServer>
{
    private readonly ComposePermissionsServer _fixture;

    public NodeAgentConfigPermissionTests(ComposePermissionsServer fixture) => _fixture = fixture;

    [Fact]
    public async Task The_allocator_stores_the_LBNodeAgent_set_a_node_reads_it_and_cannot_forge_one()
    {
        await using var allocator = await As("allocator");
        await StreamProvisioner.EnsureAsync(allocator.JetStream, new JetStreamOptions(), CancellationToken.None);
        var genuine = CloudEventCodec.Encode(EventTypes.NodeAgentConfig, new NodeAgentConfigSet([Agent("purelb/default")]), EventSources.Allocator);
        (await allocator.JetStream.PublishAsync(Subjects.NodeAgentConfig, genuine)).EnsureSuccess();

        await using var node = await As("node-a");
        var forged = CloudEventCodec.Encode(EventTypes.NodeAgentConfig, new NodeAgentConfigSet([Agent("rogue/agent")]), "/rogue");
        (await node.PublishAsync(Subjects.NodeAgentConfig, forged)).Should().BeTrue("the client hands it over; the server refuses it");
        (await node.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        await Eventually.MatchesAsync(
            () => Task.FromResult(node.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 1, TimeSpan.FromSeconds(5), "the refusal being reported");

        string? last = null;
        await using (var reader = new LastValueReader(node, BeaconStreams.NodeAgentConfig, (message, _) =>
        {
            last = CloudEventCodec.Decode(message.Payload.Span, EventTypes.NodeAgentConfig).Value?.Agents.Single().Name;
            return ValueTask.CompletedTask;
        }, () => { }))
        {
            reader.Start();
            await Eventually.MatchesAsync(() => Task.FromResult(Volatile.Read(ref last)), n => n is not null, TimeSpan.FromSeconds(10), "the node reading the stored set");
        }

        last.Should().Be("purelb/default", "the forged set was never stored");
    }

    private static NodeAgentConfig Agent(string name) => new(name, null, true, "eth0", null, [], false, null, null, null, null);

    private Task<NatsEventBus> As(string user) => Buses.ConnectAsync(_fixture.Server, o =>
    {
        o.User = user;
        o.Password = ComposePermissionsServer.Passwords[user];
    });
}
