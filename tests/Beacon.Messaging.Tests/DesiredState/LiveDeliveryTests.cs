using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>
/// Replicas read the stream to catch up and follow changes live over core NATS: what a live message may and may not do
/// to what a replica holds, and what happens when live messages are lost.
/// </summary>
public sealed class LiveDeliveryTests
{
    [Fact]
    public async Task A_live_message_older_than_what_the_replica_holds_changes_nothing()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        var old = await publisher.PublishChangeAsync(SampleAllocations.For(1));
        var current = await publisher.PublishChangeAsync(SampleAllocations.For(1, variant: 1));
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        // The older change again, as a late or repeated delivery would bring it (same epoch, lower sequence).
        await allocatorBus.PublishAsync(Subjects.Allocation(old!.Service), CloudEventCodec.Encode(EventTypes.AllocationChanged, old, EventSources.Allocator, old.Service.ToString()));
        await publisher.PublishChangeAsync(SampleAllocations.For(2));

        var view = await replica.ConvergesTo(publisher);
        view.Services[old.Service].Sequence.Should().Be(current!.Sequence);
        AllocationContent.Same(view.Services[old.Service], current).Should().BeTrue();
    }

    [Fact]
    public async Task Live_messages_lost_to_a_full_buffer_make_the_replica_catch_up_from_the_stream()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus, new DesiredStateReplicaOptions { LiveBufferCapacity = 4 });
        using var gate = new SemaphoreSlim(0);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        replica.Changed += (_, e) =>
        {
            if (first && e.ChangedServices.Count > 0)
            {
                // Holds the replica's reading on the first change, so the live buffer overflows behind it.
                first = false;
                blocked.TrySetResult();
                gate.Wait();
            }
        };
        await replica.StartAsync();
        await replica.WaitUntilSynchronizedAsync().WaitAsync(TimeSpan.FromSeconds(10));

        await publisher.PublishChangeAsync(SampleAllocations.For(0));
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i < 50; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        await publisher.WhenStoredAsync();
        await agentBus.FlushAsync(TimeSpan.FromSeconds(5));
        gate.Release();

        var view = await replica.ConvergesTo(publisher);
        view.Services.Should().HaveCount(50);
        replica.CatchUps.Should().BeGreaterThan(1, "the dropped live messages were read from the stream");
    }

    [Fact]
    public async Task A_replica_that_is_held_up_does_not_hold_up_other_subscriptions_on_its_connection()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        using var gate = new SemaphoreSlim(0);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        replica.Changed += (_, e) =>
        {
            if (first && e.ChangedServices.Count > 0)
            {
                first = false;
                blocked.TrySetResult();
                gate.Wait();
            }
        };
        await replica.StartAsync();
        await replica.WaitUntilSynchronizedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var other = await agentBus.Connection.SubscribeCoreAsync<string>("beacon.test.other");
        await agentBus.Connection.PingAsync();

        await publisher.PublishChangeAsync(SampleAllocations.For(0));
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i < 20; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        // The replica is still held (the gate is closed): the connection's read loop must deliver this all the same.
        await allocatorBus.Connection.PublishAsync("beacon.test.other", "heartbeat-like");
        var heard = await other.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        heard.Data.Should().Be("heartbeat-like");
        gate.Release();

        var view = await replica.ConvergesTo(publisher);
        view.Services.Should().HaveCount(20);
    }
}
