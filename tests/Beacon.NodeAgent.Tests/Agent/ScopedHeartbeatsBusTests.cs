using System.Collections.Concurrent;
using System.Net;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Domain;
using Beacon.TestSupport.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.NodeAgent.Tests.Agent;

/// <summary>
/// Scoped heartbeats through a real nats-server: each agent subscribes to its own subnets' scopes, so agents on different
/// subnets never hear each other, an agent on two subnets hears (and is heard in) both, and a subnet change moves the
/// subscription. Negative checks rely on NATS ordering: a message published and flushed before one the listener does hear
/// would have reached that single subscription first.
/// </summary>
public sealed class ScopedHeartbeatsBusTests : IClassFixture<NatsServerFixture>
{
    private static readonly IPNetwork X = IPNetwork.Parse("198.18.0.0/24");
    private static readonly IPNetwork Y = IPNetwork.Parse("198.18.1.0/24");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly NatsServerFixture _nats;

    public ScopedHeartbeatsBusTests(NatsServerFixture nats) => _nats = nats;

    [Fact]
    public async Task Agents_hear_only_the_peers_that_share_one_of_their_subnets_and_a_two_subnet_agent_takes_part_in_both()
    {
        await using var a = await Agent.JoinAsync(_nats.Url, "node-a", X);
        await using var b = await Agent.JoinAsync(_nats.Url, "node-b", X, Y);
        await using var c = await Agent.JoinAsync(_nats.Url, "node-c", Y);

        await c.BeatAsync();
        await a.BeatAsync();
        await b.BeatAsync();

        await a.HeardAsync(("node-a", X), ("node-b", X));
        await c.HeardAsync(("node-c", Y), ("node-b", Y));
        await b.HeardAsync(("node-a", X), ("node-b", X), ("node-b", Y), ("node-c", Y));
        a.Heard.Should().NotContain(h => h.Node == "node-c", "node-c shares no subnet with node-a");
        c.Heard.Should().NotContain(h => h.Node == "node-a");
    }

    [Fact]
    public async Task A_subnet_change_moves_the_subscription()
    {
        await using var a = await Agent.JoinAsync(_nats.Url, "node-a", X);
        await using var b = await Agent.JoinAsync(_nats.Url, "node-b", X, Y);
        await b.BeatAsync();
        await a.HeardAsync(("node-b", X));

        var left = await a.Subscriptions.SetAsync(MembershipScope.For([Y]), CancellationToken.None);
        a.Heard.Clear();
        await b.BeatAsync();

        left.Should().Equal(MembershipScope.Of(X));
        a.Subscriptions.Scopes.Should().Equal(MembershipScope.Of(Y));
        await a.HeardAsync(("node-b", Y));
        a.Heard.Should().NotContain(h => h.Scope == MembershipScope.Of(X), "node-a left 198.18.0.0/24");
    }

    [Fact]
    public async Task A_heartbeat_whose_payload_names_another_node_than_its_subject_is_dropped()
    {
        await using var a = await Agent.JoinAsync(_nats.Url, "node-a", X);
        await using var rogue = await Agent.JoinAsync(_nats.Url, "node-b", X);
        var forged = new NodeHeartbeat("node-z", "eth0", [X.ToString()], new LinkState(true, "up", true), new Dictionary<string, string>(), true, DateTimeOffset.UtcNow, "z");
        (await rogue.Bus.PublishEventAsync(Subjects.ScopedHeartbeat("node-b", MembershipScope.Of(X)), EventTypes.NodeHeartbeat, forged, "/rogue")).Should().BeTrue();
        await rogue.BeatAsync();

        await a.HeardAsync(("node-b", X));
        a.Heard.Should().NotContain(h => h.Node == "node-z");
        a.Dropped.GetDropped(DecodeErrorKind.SubjectMismatch).Should().Be(1);
    }

    [Fact]
    public async Task The_liveness_beat_restamped_from_a_routine_one_decodes_as_this_node_s_heartbeat()
    {
        await using var a = await Agent.JoinAsync(_nats.Url, "node-a", X);
        var liveness = new TaskCompletionSource<(NodeHeartbeat Heartbeat, string Id)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await a.Bus.SubscribeEventsAsync(Subjects.Heartbeat("node-a"), EventTypes.NodeHeartbeat, (heartbeat, message, _) =>
            {
                liveness.TrySetResult((heartbeat, CloudEventCodec.Decode(message.Payload.Span).Value!.Id));
                return ValueTask.CompletedTask;
            },
            new DroppedMessageReporter(NullLogger.Instance, a.Dropped));
        await a.BeatAsync(); // the template the liveness beat is restamped from

        (await a.Publisher.PublishLivenessAsync(TimeSpan.Zero, leaving: false, CancellationToken.None)).Should().BeTrue();
        (await a.Bus.FlushAsync(Deadline)).Should().BeTrue();

        var (heard, id) = await liveness.Task.WaitAsync(Deadline);
        heard.Node.Should().Be("node-a");
        heard.AgentStartId.Should().Be("start-node-a");
        id.Should().MatchRegex("^[0-9a-f]{32}$");
        a.Dropped.GetDropped(DecodeErrorKind.SubjectMismatch).Should().Be(0);
    }

    private sealed record HeardBeat(string Node, string Scope);

    /// <summary>One agent's bus, heartbeat publisher and scoped subscriptions, as the worker wires them.</summary>
    private sealed class Agent : IAsyncDisposable
    {
        private readonly SemaphoreSlim _arrived = new(0);

        private Agent(NatsEventBus bus, AgentState state)
        {
            Bus = bus;
            State = state;
            Publisher = new HeartbeatPublisher(bus, state, new Dictionary<string, string>());
            Subscriptions = new ScopedHeartbeatSubscriptions(bus, state.Self.Name, (h, scope) =>
                {
                    Heard.Enqueue(new HeardBeat(h.Node, scope));
                    _arrived.Release();
                },
                new DroppedMessageReporter(NullLogger.Instance, Dropped));
        }

        public NatsEventBus Bus { get; }

        public AgentState State { get; }

        public HeartbeatPublisher Publisher { get; }

        public ScopedHeartbeatSubscriptions Subscriptions { get; }

        public ConcurrentQueue<HeardBeat> Heard { get; } = new();

        public MessagingCounters Dropped { get; } = new();

        public static async Task<Agent> JoinAsync(string url, string node, params IPNetwork[] subnets)
        {
            var options = new NatsOptions { Name = node };
            options.Urls.Add(url);
            var bus = new NatsEventBus(options);
            await bus.ConnectAsync(new CancellationTokenSource(Deadline).Token);
            var state = new AgentState(new LocalNode(node, "eth0", "kube-lb0", true), TimeSpan.FromMilliseconds(100), 3, "start-" + node);
            state.SetLink(new LocalLink(true, "up", true, subnets));
            var agent = new Agent(bus, state);
            await agent.Subscriptions.SetAsync(MembershipScope.For(subnets), CancellationToken.None);
            return agent;
        }

        /// <summary>One heartbeat into each subscribed scope, flushed so the server has routed it before we go on.</summary>
        public async Task BeatAsync()
        {
            (await Publisher.PublishScopedAsync(TimeSpan.Zero, leaving: false, Subscriptions.Scopes, CancellationToken.None)).Should().BeTrue();
            (await Bus.FlushAsync(Deadline)).Should().BeTrue();
        }

        public async Task HeardAsync(params (string Node, IPNetwork Subnet)[] expected)
        {
            var wanted = expected.Select(e => new HeardBeat(e.Node, MembershipScope.Of(e.Subnet))).ToHashSet();
            using var deadline = new CancellationTokenSource(Deadline);
            while (!wanted.IsSubsetOf(Heard))
            {
                await _arrived.WaitAsync(deadline.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Subscriptions.DisposeAsync();
            await Bus.DisposeAsync();
            _arrived.Dispose();
        }
    }
}
