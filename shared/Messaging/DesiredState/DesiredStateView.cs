using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>An immutable picture of a replica's desired state (<see cref="Services"/> is a <see cref="ServiceMap"/>, in hash order).</summary>
/// <param name="Epoch">The Allocator epoch of the last allocation message applied.</param>
/// <param name="Sequence">The Allocator's sequence (within <paramref name="Epoch"/>) of the last allocation message applied.</param>
/// <param name="Synchronized">It holds at least everything the stream held when this replica (re)started reading it.</param>
public sealed record DesiredStateView(
    string? Epoch,
    long Sequence,
    IReadOnlyDictionary<ServiceKey, AllocationChanged> Services,
    bool Synchronized)
{
    public static DesiredStateView Empty { get; } = new(null, 0, ServiceMap.Empty, false);
}
