using System.Collections.Immutable;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// The replica's pure state machine: in-order events apply, duplicates are ignored, anything else is buffered and asks
/// for a snapshot; a snapshot replaces the state and then applies buffered events newer than it.
/// </summary>
public static class ReplicaReducer
{
    /// <summary>Bound on buffered events; beyond it new ones are not kept (a later gap triggers another snapshot).</summary>
    public const int MaxPending = 100_000;

    public static (ReplicaState State, ApplyOutcome Outcome) Apply(ReplicaState state, DesiredStateEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        if (state.Resyncing)
        {
            return (Buffer(state, e), ApplyOutcome.Buffered);
        }

        if (state.Epoch is null)
        {
            return (Buffer(state, e) with { NeedsSnapshot = true }, ApplyOutcome.Buffered);
        }

        if (!string.Equals(e.Epoch, state.Epoch, StringComparison.Ordinal))
        {
            return (Buffer(state, e) with { NeedsSnapshot = true }, ApplyOutcome.EpochChanged);
        }

        if (e.Sequence <= state.Sequence)
        {
            return (state, ApplyOutcome.Duplicate);
        }

        if (e.Sequence == state.Sequence + 1)
        {
            return (Drain(ApplyOne(state, e)), ApplyOutcome.Applied);
        }

        return (Buffer(state, e) with { NeedsSnapshot = true }, ApplyOutcome.Gap);
    }

    /// <summary>A snapshot fetch starts: events are buffered until it lands or is abandoned.</summary>
    public static ReplicaState BeginSnapshot(ReplicaState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Resyncing = true };
    }

    /// <summary>Replaces the state with the snapshot, then applies buffered events of the same epoch that follow it.</summary>
    public static ReplicaState ApplySnapshot(ReplicaState state, string epoch, long sequence, IEnumerable<AllocationChanged> services)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(services);
        var builder = ImmutableSortedDictionary.CreateBuilder<ServiceKey, AllocationChanged>();
        foreach (var service in services)
        {
            builder[service.Service] = service;
        }

        var pending = string.Equals(state.PendingEpoch, epoch, StringComparison.Ordinal)
            ? state.Pending.Where(p => p.Key > sequence).ToImmutableSortedDictionary()
            : ImmutableSortedDictionary<long, DesiredStateEvent>.Empty;
        var next = new ReplicaState(epoch, sequence, builder.ToImmutable(), pending, pending.IsEmpty ? null : epoch, Resyncing: false, NeedsSnapshot: false);
        return Drain(next);
    }

    /// <summary>The snapshot fetch failed: stop buffering, apply what can be applied, and still want a snapshot.</summary>
    public static ReplicaState AbandonSnapshot(ReplicaState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Drain(state with { Resyncing = false }) with { NeedsSnapshot = true };
    }

    private static ReplicaState ApplyOne(ReplicaState state, DesiredStateEvent e) => state with
    {
        Sequence = e.Sequence,
        Services = e.Change is null ? state.Services.Remove(e.Service) : state.Services.SetItem(e.Service, e.Change),
    };

    /// <summary>Applies buffered events that continue the state's sequence; drops buffered events it already covers.</summary>
    private static ReplicaState Drain(ReplicaState state)
    {
        if (state.Pending.IsEmpty || state.Epoch is null || !string.Equals(state.PendingEpoch, state.Epoch, StringComparison.Ordinal))
        {
            return state;
        }

        var pending = state.Pending;
        while (!pending.IsEmpty)
        {
            var first = pending.First();
            if (first.Key <= state.Sequence)
            {
                pending = pending.Remove(first.Key);
            }
            else if (first.Key == state.Sequence + 1)
            {
                state = ApplyOne(state, first.Value);
                pending = pending.Remove(first.Key);
            }
            else
            {
                // Still a hole: keep the rest and ask for a snapshot.
                return state with { Pending = pending, NeedsSnapshot = true };
            }
        }

        // Every buffered event is now applied: the hole that asked for a snapshot is filled.
        return state with { Pending = pending, PendingEpoch = null, NeedsSnapshot = false };
    }

    private static ReplicaState Buffer(ReplicaState state, DesiredStateEvent e)
    {
        var pending = string.Equals(state.PendingEpoch, e.Epoch, StringComparison.Ordinal)
            ? state.Pending
            : ImmutableSortedDictionary<long, DesiredStateEvent>.Empty;
        if (pending.Count >= MaxPending && !pending.ContainsKey(e.Sequence))
        {
            return state;
        }

        return state with { Pending = pending.SetItem(e.Sequence, e), PendingEpoch = e.Epoch };
    }
}
