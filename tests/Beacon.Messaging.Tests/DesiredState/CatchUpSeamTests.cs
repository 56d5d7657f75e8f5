using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;
using NATS.Client.Core;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>
/// The two rules of the seam between a replica's stream read and its live messages that only messages which reach the
/// replica live but are not (yet) the stream's last value can exercise: a change of another Allocator term arriving
/// while the replica catches up, and a release that the stream does not hold yet when the replica reads it again.
/// Such messages are made here with a store the stream refuses (a wrong expected subject sequence): core subscribers
/// still receive them, as they receive a message whose store is still on its way.
/// </summary>
public sealed class CatchUpSeamTests
{
    [Fact]
    public async Task A_live_change_of_another_epoch_arriving_while_the_replica_catches_up_does_not_replace_what_the_stream_gave()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await publisher.WhenStoredAsync();

        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        using var gate = new SemaphoreSlim(0);
        var inCatchUp = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        replica.Changed += (_, e) =>
        {
            if (first && e.ChangedServices.Count > 0)
            {
                // Holds the replica inside its first round, after the stream read gave svc-1: live messages now queue
                // up as the seam.
                first = false;
                inCatchUp.TrySetResult(e.Current.Synchronized);
                gate.Wait();
            }
        };
        await replica.StartAsync();
        (await inCatchUp.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeFalse("the replica is held while it reads the stream");

        // A change of svc-1 from an earlier Allocator term, still on its way: its epoch cannot be ordered against the
        // one the stream gave, so it must not replace it.
        var stale = SampleAllocations.For(1, variant: 1) with { Epoch = "20260101T000000Z-0ldterm0", Sequence = 99 };
        await PublishLiveOnlyAsync(allocatorBus, stale.Service, CloudEventCodec.Encode(EventTypes.AllocationChanged, stale, EventSources.Allocator, stale.Service.ToString()));
        // A marker behind it in the seam: once it is held, the stale change has been handled.
        await publisher.PublishChangeAsync(SampleAllocations.For(2));
        await publisher.WhenStoredAsync();
        await agentBus.FlushAsync(TimeSpan.FromSeconds(5));
        gate.Release();

        var view = await replica.WaitForAsync(v => v.Services.ContainsKey(SampleAllocations.Key(2))).WaitAsync(TimeSpan.FromSeconds(10));
        view.Services[SampleAllocations.Key(1)].Epoch.Should().Be(publisher.Epoch, "the stale term's change was not applied");
        await replica.ConvergesTo(publisher);
    }

    [Fact]
    public async Task A_release_received_live_is_not_undone_by_a_stream_read_that_still_holds_the_change()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        var change = await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await publisher.PublishChangeAsync(SampleAllocations.For(2));
        await publisher.WhenStoredAsync();
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        // The release of svc-1 reaches the replica live while its store is not done: the stream still holds the change.
        var release = new AllocationReleased(change!.Service, change.Sequence + 10, change.Epoch);
        await PublishLiveOnlyAsync(allocatorBus, release.Service, CloudEventCodec.Encode(EventTypes.AllocationReleased, release, EventSources.Allocator, release.Service.ToString()));
        await replica.WaitForAsync(v => !v.Services.ContainsKey(release.Service)).WaitAsync(TimeSpan.FromSeconds(10));

        // A new round (as after a reconnect) reads svc-1's older change from the stream; a change made after it marks
        // the end of that read.
        replica.RequestResync("test: read the stream again");
        await publisher.PublishChangeAsync(SampleAllocations.For(3));
        var view = await replica.WaitForAsync(v => v.Services.ContainsKey(SampleAllocations.Key(3))).WaitAsync(TimeSpan.FromSeconds(10));

        view.Services.Should().NotContainKey(release.Service, "the release is newer than the change the stream still held");
        view.Services.Should().ContainKey(SampleAllocations.Key(2));
        replica.CatchUps.Should().Be(2);
    }

    /// <summary>Publishes on an allocation subject with a store the stream refuses: core subscribers get it, the stream does not.</summary>
    private static async Task PublishLiveOnlyAsync(NatsEventBus bus, ServiceKey service, byte[] payload)
    {
        var before = (await bus.JetStream.GetStreamAsync(BeaconStreams.Allocations)).Info.State.LastSeq;
        var headers = new NatsHeaders { ["Nats-Expected-Last-Subject-Sequence"] = "999999999" };
        await bus.Connection.PublishAsync(Subjects.Allocation(service), payload, headers: headers);
        (await bus.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        var after = (await bus.JetStream.GetStreamAsync(BeaconStreams.Allocations)).Info.State.LastSeq;
        after.Should().Be(before, "the stream refused the store, so only live subscribers have the message");
    }
}
