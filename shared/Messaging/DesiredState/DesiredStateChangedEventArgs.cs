using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>The replica's services changed: <see cref="ChangedServices"/> were added, replaced or removed.</summary>
public sealed class DesiredStateChangedEventArgs(
    DesiredStateView previous,
    DesiredStateView current,
    IReadOnlyCollection<ServiceKey> changedServices,
    bool fromSnapshot) : EventArgs
{
    public DesiredStateView Previous { get; } = previous;

    public DesiredStateView Current { get; } = current;

    public IReadOnlyCollection<ServiceKey> ChangedServices { get; } = changedServices;

    /// <summary>True when a snapshot replaced the state (start, reconnect, gap, epoch change, digest mismatch).</summary>
    public bool FromSnapshot { get; } = fromSnapshot;
}
