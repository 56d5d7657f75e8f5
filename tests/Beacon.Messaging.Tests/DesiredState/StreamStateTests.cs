using System.Text;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>The desired state lives in the BEACON_ALLOCATIONS stream: late starters, restarts, and a NATS that lost its storage.</summary>
public sealed class StreamStateTests
{
    [Fact]
    public async Task A_replica_started_late_reads_ten_thousand_services_from_the_stream()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10_000; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();

        var view = await replica.ConvergesTo(publisher, TimeSpan.FromSeconds(30));
        view.Services.Should().HaveCount(10_000);
        publisher.Unstored.Should().Be(0);
    }

    [Fact]
    public async Task Changes_and_releases_reach_a_live_replica_and_a_plain_core_subscriber_sees_the_same_events()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var integratorBus = await Buses.ConnectAsync(server);
        var inbox = new Inbox();
        await using var core = await integratorBus.SubscribeAsync(Subjects.AllAllocations, inbox.Handle);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.WaitUntilSynchronizedAsync().WaitAsync(TimeSpan.FromSeconds(10));

        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await publisher.PublishChangeAsync(SampleAllocations.For(2));
        await publisher.PublishReleaseAsync(SampleAllocations.Key(1));

        var view = await replica.ConvergesTo(publisher);
        view.Services.Keys.Should().Equal(SampleAllocations.Key(2));
        var types = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var message = await inbox.NextAsync();
            types.Add(CloudEventCodec.Decode(message.Payload.Span).Value!.Type);
        }

        types.Should().Equal(EventTypes.AllocationChanged.WireName, EventTypes.AllocationChanged.WireName, EventTypes.AllocationReleased.WireName);
    }

    [Fact]
    public async Task A_new_allocator_rewrites_only_what_differs_and_releases_what_it_no_longer_has()
    {
        await using var server = await NatsServer.StartAsync();
        await using (var oldBus = await Buses.ConnectAsync(server))
        {
            await using var old = new DesiredStatePublisher(oldBus);
            await old.StartAsync();
            await old.Ready.WaitAsync(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 5; i++)
            {
                await old.PublishChangeAsync(SampleAllocations.For(i));
            }
        }

        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.WaitForAsync(v => v.Synchronized && v.Services.Count == 5).WaitAsync(TimeSpan.FromSeconds(10));
        var changed = new List<ServiceKey>();
        var twoChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        replica.Changed += (_, e) =>
        {
            lock (changed)
            {
                changed.AddRange(e.ChangedServices);
                if (changed.Count >= 2)
                {
                    twoChanged.TrySetResult();
                }
            }
        };

        // The new leader knows services 0..3 (3 with a new port), not 4.
        await using var newBus = await Buses.ConnectAsync(server);
        await using var leader = new DesiredStatePublisher(newBus);
        await leader.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await leader.PublishChangeAsync(SampleAllocations.For(i));
        }

        await leader.PublishChangeAsync(SampleAllocations.For(3, variant: 2));
        await leader.ReleaseUnknownAsync().WaitAsync(TimeSpan.FromSeconds(10));

        await replica.ConvergesTo(leader);
        // Changed is raised after the new state is in place, so the state can converge before the event arrives.
        await twoChanged.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (changed)
        {
            changed.Should().BeEquivalentTo([SampleAllocations.Key(3), SampleAllocations.Key(4)], "unchanged services are not disturbed by a new leader");
        }
    }

    [Fact]
    public async Task Nats_restarted_without_its_storage_withdraws_nothing_and_the_allocator_repopulates_the_stream()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus, new DesiredStatePublisherOptions { CheckInterval = TimeSpan.FromSeconds(1) });
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);
        var removed = 0;
        replica.Changed += (_, e) => Interlocked.Add(ref removed, e.ChangedServices.Count(k => !e.Current.Services.ContainsKey(k)));

        await server.RestartWipedAsync();
        await publisher.PublishChangeAsync(SampleAllocations.For(20));

        await replica.ConvergesTo(publisher, TimeSpan.FromSeconds(15));
        Volatile.Read(ref removed).Should().Be(0, "a stream that lost its storage is not a release");
        publisher.Counters.Get(MessagingCounter.StreamRepopulated).Should().BeGreaterThanOrEqualTo(1);

        // A replica that starts now reads everything from the repopulated stream.
        await using var lateBus = await Buses.ConnectAsync(server);
        await using var late = new DesiredStateReplica(lateBus);
        await late.StartAsync();
        (await late.ConvergesTo(publisher)).Services.Should().HaveCount(21);
    }
}
