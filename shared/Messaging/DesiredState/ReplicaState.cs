using System.Collections.Immutable;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// Everything a replica knows, immutable. <see cref="Pending"/> holds events that cannot be applied yet (before the first
/// snapshot, during a snapshot fetch, after a gap); all belong to <see cref="PendingEpoch"/>.
/// </summary>
public sealed record ReplicaState(
    string? Epoch,
    long Sequence,
    ImmutableSortedDictionary<ServiceKey, AllocationChanged> Services,
    ImmutableSortedDictionary<long, DesiredStateEvent> Pending,
    string? PendingEpoch,
    bool Resyncing,
    bool NeedsSnapshot)
{
    public static ReplicaState Empty { get; } = new(
        null,
        0,
        ImmutableSortedDictionary<ServiceKey, AllocationChanged>.Empty,
        ImmutableSortedDictionary<long, DesiredStateEvent>.Empty,
        null,
        Resyncing: false,
        NeedsSnapshot: true);

    /// <summary>Synchronised: has a snapshot's worth of state and nothing known to be missing.</summary>
    public bool Synchronized => Epoch is not null && !NeedsSnapshot && !Resyncing;
}
