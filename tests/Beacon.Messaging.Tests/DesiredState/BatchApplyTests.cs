using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>
/// A replica reaches the same state and reports the same changed Services whether the reader hands it messages one at
/// a time or everything waiting at once (what it does when the replica falls behind), for any mix of changes, releases,
/// repeats, reordering and epochs, read from the stream or live.
/// </summary>
public sealed class BatchApplyTests
{
    private static readonly string[] Epochs = ["20261130T010000Z-aaaaaaaa", "20261130T020000Z-bbbbbbbb"];

    [Property(MaxTest = 300)]
    public Property Batches_and_single_messages_give_the_same_replica()
    {
        var message =
            from service in Gen.Choose(0, 5)
            from variant in Gen.Choose(0, 2)
            from sequence in Gen.Choose(1, 8)
            from epoch in Gen.Elements(Epochs)
            from release in Gen.Elements(true, false)
            select Encode(service, variant, sequence, epoch, release);
        var round =
            from stored in Gen.ListOf(message)
            from live in Gen.ListOf(message)
            from size in Gen.Choose(1, 6)
            select (Stored: stored.ToList(), Live: live.ToList(), Size: size);
        return Prop.ForAll(round.ToArbitrary(), r =>
        {
            var one = Replay(r.Stored, r.Live, batchSize: 1);
            var many = Replay(r.Stored, r.Live, batchSize: r.Size);
            return one.State == many.State && one.Changed.SetEquals(many.Changed);
        });
    }

    private static (string State, HashSet<ServiceKey> Changed) Replay(List<BusMessage> stored, List<BusMessage> live, int batchSize)
    {
        var options = new NatsOptions();
        options.Urls.Add("nats://127.0.0.1:1"); // never connected: the messages are handed over directly
        var bus = new NatsEventBus(options);
        var replica = new DesiredStateReplica(bus);
        try
        {
            return Replay(replica, stored, live, batchSize);
        }
        finally
        {
            replica.DisposeAsync().AsTask().GetAwaiter().GetResult();
            bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static (string State, HashSet<ServiceKey> Changed) Replay(DesiredStateReplica replica, List<BusMessage> stored, List<BusMessage> live, int batchSize)
    {
        var changed = new HashSet<ServiceKey>();
        replica.Changed += (_, e) => changed.UnionWith(e.ChangedServices);
        var handler = (ILiveStateHandler)replica;
        handler.RoundStarted();
        Hand(handler, stored, batchSize, streamSequence: 1);
        handler.CaughtUp();
        handler.SeamClosed();
        Hand(handler, live, batchSize, streamSequence: 0);
        var view = replica.Current;
        var state = $"{view.Epoch} {view.Sequence} {view.Synchronized} " + string.Join(
            ";",
            view.Services.OrderBy(s => s.Key).Select(s => JsonSerializer.Serialize(s.Value, ContractsJsonContext.Default.AllocationChanged)));
        return (state, changed);
    }

    private static void Hand(ILiveStateHandler handler, List<BusMessage> payloads, int batchSize, ulong streamSequence)
    {
        foreach (var chunk in payloads.Chunk(batchSize))
        {
            var batch = chunk.Select(m => new StateMessage(m, streamSequence)).ToList();
            handler.HandleAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    private static BusMessage Encode(int service, int variant, int sequence, string epoch, bool release)
    {
        var key = SampleAllocations.Key(service);
        var payload = release
            ? CloudEventCodec.Encode(EventTypes.AllocationReleased, new AllocationReleased(key, sequence, epoch), EventSources.Allocator, key.ToString())
            : CloudEventCodec.Encode(EventTypes.AllocationChanged, SampleAllocations.For(service, variant) with { Sequence = sequence, Epoch = epoch }, EventSources.Allocator, key.ToString());
        return new BusMessage(Subjects.Allocation(key), null, payload);
    }
}
