using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>The replica's services changed: <see cref="ChangedServices"/> were added, replaced or removed.</summary>
public sealed class DesiredStateChangedEventArgs(
    DesiredStateView previous,
    DesiredStateView current,
    IReadOnlyCollection<ServiceKey> changedServices) : EventArgs
{
    public DesiredStateView Previous { get; } = previous;

    public DesiredStateView Current { get; } = current;

    public IReadOnlyCollection<ServiceKey> ChangedServices { get; } = changedServices;
}
