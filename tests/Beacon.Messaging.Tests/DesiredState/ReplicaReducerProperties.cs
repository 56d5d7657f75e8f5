using System.Collections.Immutable;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>
/// Whatever the bus does to the stream (loss, duplication, reordering) and whenever a snapshot lands, the replica ends
/// with exactly the publisher's state once it has a snapshot and the events after it.
/// </summary>
public sealed class ReplicaReducerProperties
{
    private const string Epoch = "e1";

    [Property]
    public Property Any_deliveries_followed_by_a_snapshot_converge_to_the_publisher()
    {
        return Prop.ForAll(Scenario(), s =>
        {
            var history = History.From(s.Operations);
            var state = ReplicaState.Empty;
            foreach (var index in s.Deliveries)
            {
                state = ReplicaReducer.Apply(state, history.Events[index % history.Events.Count]).State;
            }

            state = ReplicaReducer.ApplySnapshot(ReplicaReducer.BeginSnapshot(state), Epoch, history.Events.Count, history.StateAt(history.Events.Count));
            return Matches(state, history, history.Events.Count);
        });
    }

    [Property]
    public Property A_snapshot_taken_mid_stream_plus_every_later_event_converges_without_another_snapshot()
    {
        return Prop.ForAll(Scenario(), Gen.Choose(0, 1000).ToArbitrary(), (s, cut) =>
        {
            var history = History.From(s.Operations);
            var k = cut % (history.Events.Count + 1);
            var state = ReplicaState.Empty;
            var half = s.Deliveries.Length / 2;
            foreach (var index in s.Deliveries.Take(half))
            {
                state = ReplicaReducer.Apply(state, history.Events[index % history.Events.Count]).State;
            }

            state = ReplicaReducer.BeginSnapshot(state);
            foreach (var index in s.Deliveries.Skip(half))
            {
                state = ReplicaReducer.Apply(state, history.Events[index % history.Events.Count]).State;
            }

            state = ReplicaReducer.ApplySnapshot(state, Epoch, k, history.StateAt(k));

            // The bus then delivers the stream from the snapshot on, in order (duplicates of older events included).
            foreach (var e in history.Events)
            {
                state = ReplicaReducer.Apply(state, e).State;
            }

            return Matches(state, history, history.Events.Count) && state.Synchronized;
        });
    }

    [Property]
    public Property In_order_delivery_with_duplicates_never_asks_for_a_snapshot()
    {
        return Prop.ForAll(Scenario(), s =>
        {
            var history = History.From(s.Operations);
            var state = ReplicaReducer.ApplySnapshot(ReplicaState.Empty, Epoch, 0, []);
            var outcomes = new List<ApplyOutcome>();
            for (var i = 0; i < history.Events.Count; i++)
            {
                var (next, outcome) = ReplicaReducer.Apply(state, history.Events[i]);
                state = next;
                outcomes.Add(outcome);
                if (s.Deliveries.Length > 0 && s.Deliveries[i % s.Deliveries.Length] % 3 == 0)
                {
                    state = ReplicaReducer.Apply(state, history.Events[i]).State;
                }
            }

            return Matches(state, history, history.Events.Count)
                && state.Synchronized
                && outcomes.All(o => o == ApplyOutcome.Applied);
        });
    }

    [Fact]
    public void Events_of_another_epoch_ask_for_a_snapshot_and_never_mix_into_the_state()
    {
        var history = History.From([(1, false, 0), (2, false, 0)]);
        var state = ReplicaReducer.ApplySnapshot(ReplicaState.Empty, Epoch, 2, history.StateAt(2));
        var foreign = DesiredStateEvent.Changed(SampleAllocations.For(9) with { Sequence = 3, Epoch = "e2" });

        var (next, outcome) = ReplicaReducer.Apply(state, foreign);

        outcome.Should().Be(ApplyOutcome.EpochChanged);
        next.NeedsSnapshot.Should().BeTrue();
        next.Services.Should().NotContainKey(SampleAllocations.Key(9));
    }

    private static bool Matches(ReplicaState state, History history, int sequence)
    {
        var expected = history.StateAt(sequence).ToDictionary(a => a.Service);
        return state.Epoch == Epoch
            && state.Sequence == sequence
            && state.Pending.IsEmpty
            && state.Services.Count == expected.Count
            && state.Services.All(p => expected.TryGetValue(p.Key, out var e) && ReferenceEquals(e, p.Value));
    }

    private static Arbitrary<ScenarioData> Scenario()
    {
        var operation = Gen.Choose(0, 9).SelectMany(service => Gen.Choose(0, 3), (service, kind) => (service, kind));
        var gen =
            from operations in Gen.ListOf(operation)
            from deliveries in Gen.ListOf(Gen.Choose(0, 10_000))
            where operations.Count > 0
            select new ScenarioData(
                operations.Select(o => (o.service, o.kind == 0, o.kind)).ToArray(),
                deliveries.ToArray());
        return gen.ToArbitrary();
    }

    public sealed record ScenarioData((int Service, bool Release, int Variant)[] Operations, int[] Deliveries)
    {
        public override string ToString() =>
            $"ops=[{string.Join(",", Operations.Select(o => o.Release ? $"-{o.Service}" : $"+{o.Service}/{o.Variant}"))}] deliveries=[{string.Join(",", Deliveries)}]";
    }

    /// <summary>The publisher's side as a model: the event stream and the state after each sequence number.</summary>
    private sealed class History
    {
        private readonly List<ImmutableSortedDictionary<ServiceKey, AllocationChanged>> _states = [];

        public List<DesiredStateEvent> Events { get; } = [];

        public static History From(IEnumerable<(int Service, bool Release, int Variant)> operations)
        {
            var history = new History();
            var state = ImmutableSortedDictionary<ServiceKey, AllocationChanged>.Empty;
            history._states.Add(state);
            foreach (var (service, release, variant) in operations)
            {
                var sequence = history.Events.Count + 1;
                var key = SampleAllocations.Key(service);
                if (release)
                {
                    // Releasing an absent service still takes a number here: the reducer must not care.
                    history.Events.Add(DesiredStateEvent.Released(new AllocationReleased(key, sequence, Epoch)));
                    state = state.Remove(key);
                }
                else
                {
                    var change = SampleAllocations.For(service, variant) with { Sequence = sequence, Epoch = Epoch };
                    history.Events.Add(DesiredStateEvent.Changed(change));
                    state = state.SetItem(key, change);
                }

                history._states.Add(state);
            }

            return history;
        }

        public IReadOnlyList<AllocationChanged> StateAt(int sequence) => [.. _states[sequence].Values];
    }
}
