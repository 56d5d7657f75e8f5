using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>An immutable picture of a replica's desired state.</summary>
/// <param name="Synchronized">It reflects a snapshot plus every event since, with nothing known to be missing.</param>
public sealed record DesiredStateView(
    string? Epoch,
    long Sequence,
    IReadOnlyDictionary<ServiceKey, AllocationChanged> Services,
    bool Synchronized)
{
    public static DesiredStateView From(ReplicaState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Epoch, state.Sequence, state.Services, state.Synchronized);
    }
}
