using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>
/// The replica (its compact map, decoding and order rule) holds exactly what a plain model says for any live sequence
/// of one Allocator term: changes, releases, repeats and reordering (a Service takes a message only if it is newer than
/// the last one it took, releases included), with malformed messages mixed in that are counted, logged and otherwise
/// change nothing.
/// </summary>
public sealed class ReplicaModelTests
{
    private const string Epoch = "20261130T010000Z-aaaaaaaa";

    [Property(MaxTest = 300)]
    public Property The_replica_equals_the_model_and_rejects_what_is_malformed()
    {
        var valid =
            from service in Gen.Choose(0, 8)
            from variant in Gen.Choose(0, 2)
            from sequence in Gen.Choose(1, 12)
            from release in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
            select new Input(service, variant, sequence, release, Damage: -1, Garbage: []);
        var malformed =
            from service in Gen.Choose(0, 8)
            from damage in Gen.Choose(0, 3)
            from garbage in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            from cut in Gen.Choose(0, 400)
            select new Input(service, cut, 1, Release: false, damage, garbage);
        var round =
            from inputs in Gen.ListOf(Gen.Frequency((6, valid), (1, malformed)))
            from size in Gen.Choose(1, 5)
            select (Inputs: inputs.ToList(), Size: size);
        return Prop.ForAll(round.ToArbitrary(), r =>
        {
            var logger = new WarningCount();
            var options = new NatsOptions();
            options.Urls.Add("nats://127.0.0.1:1"); // never connected: the messages are handed over directly
            var bus = new NatsEventBus(options);
            var replica = new DesiredStateReplica(bus, logger: logger);
            try
            {
                var handler = (ILiveStateHandler)replica;
                handler.RoundStarted();
                handler.CaughtUp();
                handler.SeamClosed();
                foreach (var chunk in r.Inputs.Select(ToMessage).Chunk(r.Size))
                {
                    handler.HandleAsync([.. chunk.Select(m => new StateMessage(m, 0))], CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }

                var expected = Model(r.Inputs);
                var held = replica.Current.Services;
                var malformedCount = r.Inputs.Count(i => i.Damage >= 0);
                return (held.Count == expected.Count
                        && expected.All(kv => held.TryGetValue(kv.Key, out var h) && Json(h) == Json(kv.Value)))
                    .Label($"held {string.Join(", ", held.Values.Select(v => $"{v.Service}#{v.Sequence}"))}; model {string.Join(", ", expected.Values.Select(v => $"{v.Service}#{v.Sequence}"))}")
                    .And((replica.Counters.TotalDropped == malformedCount).Label($"dropped {replica.Counters.TotalDropped}, malformed {malformedCount}"))
                    .And((malformedCount == 0 || logger.Warnings > 0).Label("a malformed message was not logged"));
            }
            finally
            {
                replica.DisposeAsync().AsTask().GetAwaiter().GetResult();
                bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
    }

    /// <summary>Per Service, the newest message taken so far (changes and releases alike); a change held unless released.</summary>
    private static Dictionary<ServiceKey, AllocationChanged> Model(List<Input> inputs)
    {
        var last = new Dictionary<ServiceKey, (long Sequence, AllocationChanged? Change)>();
        foreach (var input in inputs.Where(i => i.Damage < 0))
        {
            var key = SampleAllocations.Key(input.Service);
            if (!last.TryGetValue(key, out var l) || input.Sequence > l.Sequence)
            {
                last[key] = (input.Sequence, input.Release ? null : Change(input));
            }
        }

        return last.Where(kv => kv.Value.Change is not null).ToDictionary(kv => kv.Key, kv => kv.Value.Change!);
    }

    private static AllocationChanged Change(Input input) => SampleAllocations.For(input.Service, input.Variant) with { Sequence = input.Sequence, Epoch = Epoch };

    private static BusMessage ToMessage(Input input)
    {
        var key = SampleAllocations.Key(input.Service);
        var payload = input.Release
            ? CloudEventCodec.Encode(EventTypes.AllocationReleased, new AllocationReleased(key, input.Sequence, Epoch), EventSources.Allocator, key.ToString())
            : CloudEventCodec.Encode(EventTypes.AllocationChanged, Change(input), EventSources.Allocator, key.ToString());
        var subject = Subjects.Allocation(key);
        return input.Damage switch
        {
            0 => new BusMessage(subject, null, input.Garbage),
            // Truncated: a JSON object cut anywhere is never complete.
            1 => new BusMessage(subject, null, payload.AsMemory(0, Math.Min(input.Variant, payload.Length - 1))),
            // A Service's message on another Service's subject.
            2 => new BusMessage(Subjects.Allocation(SampleAllocations.Key(input.Service + 1)), null, payload),
            // Not UTF-8.
            3 => new BusMessage(subject, null, (byte[])[0xFF, .. payload]),
            _ => new BusMessage(subject, null, payload),
        };
    }

    private static string Json(AllocationChanged change) => JsonSerializer.Serialize(change, ContractsJsonContext.Default.AllocationChanged);

    /// <param name="Damage">-1: a valid message; 0 garbage, 1 truncated (at <paramref name="Variant"/> bytes), 2 wrong subject, 3 not UTF-8.</param>
    public sealed record Input(int Service, int Variant, int Sequence, bool Release, int Damage, byte[] Garbage);

    private sealed class WarningCount : ILogger<DesiredStateReplica>
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
