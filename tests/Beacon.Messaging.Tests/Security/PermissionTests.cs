using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Tests.Bus;
using Beacon.Messaging.Tests.DesiredState;

namespace Beacon.Messaging.Tests.Security;

/// <summary>The shipped compose permissions, enforced by a real server.</summary>
public sealed class PermissionTests : IClassFixture<ComposePermissionsServer>
{
    private static readonly TimeSpan Flush = TimeSpan.FromSeconds(5);
    private readonly ComposePermissionsServer _fixture;

    public PermissionTests(ComposePermissionsServer fixture) => _fixture = fixture;

    [Theory]
    [InlineData("node-a")]
    [InlineData("integrator")]
    [InlineData("beaconctl")]
    public async Task A_forged_allocation_changes_nothing_on_any_node(string user)
    {
        await using var allocatorBus = await As("allocator");
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await publisher.ReleaseUnknownAsync(); // the server is shared by the class: start from exactly service 1
        await using var observerBus = await As("node-b");
        await using var replica = new DesiredStateReplica(observerBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);
        await using var forger = await As(user);

        // A forged change of a real Service and a forged new one, published plainly (stored by the stream if the
        // server let it through), and an attempt to wipe the stream through the JetStream API.
        var forged = SampleAllocations.For(1, variant: 1) with { Sequence = publisher.Sequence + 1, Epoch = publisher.Epoch };
        (await forger.PublishEventAsync(Subjects.Allocation(forged.Service), EventTypes.AllocationChanged, forged, "/rogue")).Should().BeTrue();
        (await forger.PublishEventAsync(Subjects.Allocation(SampleAllocations.Key(666)), EventTypes.AllocationChanged, SampleAllocations.For(666), "/rogue")).Should().BeTrue();
        var purge = () => forger.RequestAsync("$JS.API.STREAM.PURGE.BEACON_ALLOCATIONS", "{}"u8.ToArray(), TimeSpan.FromMilliseconds(500));
        await purge.Should().ThrowAsync<TimeoutException>("the server refuses the purge request, so nobody answers it");
        (await forger.FlushAsync(Flush)).Should().BeTrue();
        await publisher.PublishChangeAsync(SampleAllocations.For(2));

        var view = await replica.ConvergesTo(publisher);
        await Beacon.TestSupport.Daemons.Eventually.MatchesAsync(
            () => Task.FromResult(forger.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 3, TimeSpan.FromSeconds(5), "the three refusals being reported");
        forger.State.Should().Be(BusConnectionState.Connected, "a refused publish must not cost a client its connection");
        view.Services.Keys.Should().BeEquivalentTo([SampleAllocations.Key(1), SampleAllocations.Key(2)]);
        AllocationContent.Same(view.Services[SampleAllocations.Key(1)], SampleAllocations.For(1)).Should().BeTrue();

        // A replica starting now reads the stream: the forgeries were never stored.
        await using var lateBus = await As("node-c");
        await using var late = new DesiredStateReplica(lateBus);
        await late.StartAsync();
        (await late.ConvergesTo(publisher)).Services.Should().HaveCount(2);
    }

    [Fact]
    public async Task Without_credentials_nothing_connects()
    {
        await using var anonymous = new NatsEventBus(Buses.Options(_fixture.Server));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var act = () => anonymous.ConnectAsync(cts.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*Authorization Violation*");
    }

    [Fact]
    public async Task A_heartbeat_on_a_forged_subject_is_refused_or_ignored()
    {
        await using var consumerBus = await As("allocator");
        var reporter = new DroppedMessageReporter(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new MessagingCounters());
        var received = new List<NodeHeartbeat>();
        var genuine = new TaskCompletionSource();
        await using var subscription = await consumerBus.SubscribeHeartbeatsAsync(
            (heartbeat, _) =>
            {
                lock (received)
                {
                    received.Add(heartbeat);
                }

                if (heartbeat.Reason() == "genuine")
                {
                    genuine.TrySetResult();
                }

                return ValueTask.CompletedTask;
            },
            reporter);
        await using var nodeA = await As("node-a");

        // Another node's subject: the server refuses it.
        await nodeA.PublishEventAsync(Subjects.Heartbeat("node-b"), EventTypes.NodeHeartbeat, Heartbeat("node-b", "other subject"), "/rogue");
        // Its own subject, but claiming to be node-b: consumers drop it.
        await nodeA.PublishEventAsync(Subjects.Heartbeat("node-a"), EventTypes.NodeHeartbeat, Heartbeat("node-b", "payload lies"), "/rogue");
        await nodeA.PublishEventAsync(Subjects.Heartbeat("node-a"), EventTypes.NodeHeartbeat, Heartbeat("node-a", "genuine"), EventSources.NodeAgent("node-a"));

        await genuine.Task.WaitAsync(TimeSpan.FromSeconds(10));
        received.Should().ContainSingle().Which.Node.Should().Be("node-a");
        // The server's -ERR reaches the client's error event asynchronously.
        await Beacon.TestSupport.Daemons.Eventually.MatchesAsync(
            () => Task.FromResult(nodeA.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 1, TimeSpan.FromSeconds(5), "the refused publish being reported");
        nodeA.Counters.Get(MessagingCounter.PermissionViolation).Should().Be(1);
        reporter.Counters.GetDropped(DecodeErrorKind.SubjectMismatch).Should().Be(1);
    }

    [Fact]
    public async Task An_agent_cannot_answer_queries()
    {
        await using var agent = await As("node-a");
        var inbox = new Inbox();

        await using var subscription = await agent.SubscribeAsync(Subjects.QueryStatus, inbox.Handle);
        await using var beaconctl = await As("beaconctl");
        var act = () => beaconctl.RequestAsync(Subjects.QueryStatus, "{}"u8.ToArray(), TimeSpan.FromMilliseconds(300));

        await act.Should().ThrowAsync<TimeoutException>();
        await Beacon.TestSupport.Daemons.Eventually.MatchesAsync(
            () => Task.FromResult(agent.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 1, TimeSpan.FromSeconds(5), "the refused subscription being reported");
        (await inbox.StaysEmptyAsync(TimeSpan.FromMilliseconds(50))).Should().BeTrue();
    }

    [Fact]
    public async Task An_integrator_reads_allocations_but_cannot_publish_anything()
    {
        await using var allocatorBus = await As("allocator");
        await using var integrator = await As("integrator");
        var inbox = new Inbox();
        await using var subscription = await integrator.SubscribeAsync(Subjects.AllAllocations, inbox.Handle);

        await integrator.PublishAsync(Subjects.Heartbeat("node-a"), "{}"u8.ToArray());
        await integrator.PublishAsync(Subjects.Allocation(SampleAllocations.Key(1)), "{}"u8.ToArray());
        (await integrator.FlushAsync(Flush)).Should().BeTrue();
        await allocatorBus.PublishEventAsync(Subjects.Allocation(SampleAllocations.Key(3)), EventTypes.AllocationChanged, SampleAllocations.For(3), EventSources.Allocator);

        var message = await inbox.NextAsync();
        message.Subject.Should().Be(Subjects.Allocation(SampleAllocations.Key(3)));
        // Both refused publishes are reported (the library may add its own refused inbox subscription).
        integrator.Counters.Get(MessagingCounter.PermissionViolation).Should().BeGreaterThanOrEqualTo(2);
    }

    /// <summary>
    /// The NodeAgent follows peers' statuses live (a peer's report that it let go of an address it also held makes the
    /// owner re-announce it): a node may read every node's status but publish only its own.
    /// </summary>
    [Fact]
    public async Task A_node_reads_other_nodes_statuses_live_but_publishes_only_its_own()
    {
        await using var nodeA = await As("node-a");
        await using var nodeB = await As("node-b");
        var inbox = new Inbox();
        await using var subscription = await nodeA.SubscribeAsync(Subjects.AllNodeStatuses, inbox.Handle);

        (await nodeA.PublishAsync(Subjects.NodeStatus("node-b"), "{}"u8.ToArray())).Should().BeTrue("the client hands it over; the server refuses it");
        (await nodeA.FlushAsync(Flush)).Should().BeTrue();
        await nodeB.PublishEventAsync(Subjects.NodeStatus("node-b"), EventTypes.NodeStatus, new NodeStatusReport("node-b", [], DateTimeOffset.UtcNow), EventSources.NodeAgent("node-b"));

        var message = await inbox.NextAsync();
        message.Subject.Should().Be(Subjects.NodeStatus("node-b"));
        CloudEventCodec.Decode(message.Payload.Span, EventTypes.NodeStatus).Value!.Node.Should().Be("node-b", "the forged one never arrived");
        await Beacon.TestSupport.Daemons.Eventually.MatchesAsync(
            () => Task.FromResult(nodeA.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 1, TimeSpan.FromSeconds(5), "the refused publish being reported");
        nodeA.State.Should().Be(BusConnectionState.Connected);
    }

    [Fact]
    public async Task A_wrong_password_fails_clearly()
    {
        var options = Buses.Options(_fixture.Server, o =>
        {
            o.User = "node-a";
            o.Password = "guess";
        });
        await using var connection = new NatsEventBus(options);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var act = () => connection.ConnectAsync(cts.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*Authorization Violation*");
    }

    private static NodeHeartbeat Heartbeat(string node, string reason) => new(
        node,
        "eth0",
        ["192.0.2.0/24"],
        new LinkState(true, "up", true),
        new Dictionary<string, string> { ["reason"] = reason },
        true,
        DateTimeOffset.UtcNow,
        "start-1");

    private Task<NatsEventBus> As(string user) => Buses.ConnectAsync(_fixture.Server, o =>
    {
        o.User = user;
        o.Password = ComposePermissionsServer.Passwords[user];
    });
}

internal static class HeartbeatReason
{
    public static string Reason(this NodeHeartbeat heartbeat) => heartbeat.Labels.TryGetValue("reason", out var r) ? r : "";
}
