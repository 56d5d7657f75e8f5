using System.Text;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.NodeAgent.Bus;
using NATS.Client.JetStream;
using Beacon.TestSupport.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>The LBNodeAgent set as a node reads it: whole sets replace each other, bad messages change nothing.</summary>
public sealed class NodeAgentConfigFeedTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private static NodeAgentConfig Agent(string name) => NodeAgentConfigChoiceTests.Agent(name);

    private static BusMessage Message(params NodeAgentConfig[] agents) =>
        new(Subjects.NodeAgentConfig, null, CloudEventCodec.Encode(EventTypes.NodeAgentConfig, new NodeAgentConfigSet(agents), EventSources.Allocator));

    [Fact]
    public void Each_set_replaces_the_last_and_a_repeated_set_raises_no_change()
    {
        var feed = new NodeAgentConfigFeed();
        var changes = 0;
        feed.Changed += (_, _) => changes++;

        feed.Apply(Message(Agent("purelb/a"), Agent("purelb/b"))).Should().BeNull();
        feed.Apply(Message(Agent("purelb/a"), Agent("purelb/b"))).Should().BeNull();
        feed.Apply(Message(Agent("purelb/b"))).Should().BeNull();

        feed.Current!.Select(a => a.Name).Should().Equal("purelb/b");
        changes.Should().Be(2);
    }

    [Fact]
    public void Garbage_a_foreign_subject_or_a_name_twice_is_refused_and_the_set_stays()
    {
        var feed = new NodeAgentConfigFeed();
        feed.Apply(Message(Agent("purelb/a")));

        feed.Apply(new BusMessage(Subjects.NodeAgentConfig, null, Encoding.UTF8.GetBytes("{not json"))).Should().NotBeNull();
        feed.Apply(Message(Agent("purelb/x")) with { Subject = Subjects.BgpPeers })!.Kind.Should().Be(DecodeErrorKind.SubjectMismatch);
        feed.Apply(Message(Agent("purelb/x"), Agent("purelb/x")))!.Message.Should().Contain("twice");

        feed.Current!.Select(a => a.Name).Should().Equal("purelb/a");
    }

    [Fact]
    public void An_entry_without_its_interfaces_list_is_refused()
    {
        var feed = new NodeAgentConfigFeed();
        feed.Apply(Message(Agent("purelb/a")));

        var json = Encoding.UTF8.GetString(Message(Agent("purelb/x")).Payload.Span).Replace("\"interfaces\":[]", "\"interfaces\":null", StringComparison.Ordinal);
        json.Should().Contain("\"interfaces\":null");

        feed.Apply(new BusMessage(Subjects.NodeAgentConfig, null, Encoding.UTF8.GetBytes(json))).Should().NotBeNull();

        feed.Current!.Select(a => a.Name).Should().Equal("purelb/a");
    }

    [Fact]
    public async Task A_restarted_agent_reads_the_set_stored_before_it_started()
    {
        await using var server = await NatsServer.StartAsync();
        var options = new NatsOptions { Name = "nodeagent-config-test" };
        options.Urls.Add(server.Url);
        await using var allocator = new NatsEventBus(options);
        await allocator.ConnectAsync();
        await StreamProvisioner.EnsureAsync(allocator.JetStream, new JetStreamOptions(), CancellationToken.None);
        await PublishAsync(allocator, Agent("purelb/default"));

        await using var node = new NatsEventBus(options);
        var feed = new NodeAgentConfigFeed();
        await using (feed.Start(node, NullLogger.Instance))
        {
            node.Start();
            (await feed.WaitFirstReadAsync(Deadline, CancellationToken.None)).Should().BeTrue();
            feed.Current!.Select(a => a.Name).Should().Equal("purelb/default");
        }
    }

    private static async Task PublishAsync(NatsEventBus bus, params NodeAgentConfig[] agents) =>
        (await bus.JetStream.PublishAsync(Subjects.NodeAgentConfig, CloudEventCodec.Encode(EventTypes.NodeAgentConfig, new NodeAgentConfigSet(agents), EventSources.Allocator))).EnsureSuccess();
}
