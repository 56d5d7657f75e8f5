using Beacon.Contracts;

namespace Beacon.DaprSubscriber;

/// <summary>
/// The subscriber's current picture: every Service that has addresses, as last announced. Dapr redelivers when a
/// reply is lost, so an event older than what is held (same Allocator epoch, lower sequence) changes nothing.
/// </summary>
public sealed class AllocationView
{
    private readonly object _gate = new();
    private readonly Dictionary<ServiceKey, AllocationChanged> _services = [];
    private readonly Dictionary<ServiceKey, (string Epoch, long Sequence)> _last = [];

    public IReadOnlyList<AllocationChanged> Services
    {
        get
        {
            lock (_gate)
            {
                return [.. _services.Values.OrderBy(s => s.Service)];
            }
        }
    }

    /// <summary>Applies a change; false when it is older than what the view already holds for that Service.</summary>
    public bool Apply(AllocationChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!IsNewer(change.Service, change.Epoch, change.Sequence))
            {
                return false;
            }

            _services[change.Service] = change;
            return true;
        }
    }

    /// <summary>Applies a release; false when it is older than what the view already holds for that Service.</summary>
    public bool Apply(AllocationReleased release)
    {
        ArgumentNullException.ThrowIfNull(release);
        lock (_gate)
        {
            if (!IsNewer(release.Service, release.Epoch, release.Sequence))
            {
                return false;
            }

            _services.Remove(release.Service);
            return true;
        }
    }

    private bool IsNewer(ServiceKey service, string epoch, long sequence)
    {
        // Sequences are comparable only within one Allocator epoch; a new epoch (a new leader) always wins.
        if (_last.TryGetValue(service, out var last) && last.Epoch == epoch && last.Sequence >= sequence)
        {
            return false;
        }

        _last[service] = (epoch, sequence);
        return true;
    }
}
