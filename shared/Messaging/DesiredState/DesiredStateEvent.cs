using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>One entry of the Allocator's stream: a change (<see cref="Change"/> set) or a release (null).</summary>
public sealed record DesiredStateEvent(string Epoch, long Sequence, ServiceKey Service, AllocationChanged? Change)
{
    public bool IsRelease => Change is null;

    public static DesiredStateEvent Changed(AllocationChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.Epoch, change.Sequence, change.Service, change);
    }

    public static DesiredStateEvent Released(AllocationReleased release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new(release.Epoch, release.Sequence, release.Service, null);
    }
}
