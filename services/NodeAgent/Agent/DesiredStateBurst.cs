namespace Beacon.NodeAgent.Agent;

/// <summary>
/// Coalesces a burst of desired-state views into few reconcile passes. Each pass plans, lists and diffs every address
/// the node holds, so applying each of a burst's views (1,000 Services arrive over many bus deliveries) made the
/// burst cost passes × Services. A view is applied once no newer one arrived for a lull of twice the last pass's cost
/// (within <see cref="MinLull"/>..<see cref="MaxLull"/>), and never later than <see cref="MaxDelay"/> after the first
/// unapplied one, so a single change waits a few milliseconds and a long burst still makes progress. Only the latest
/// view counts. Membership (heartbeats, failover) does not go through here. Pure: the caller supplies the clock.
/// </summary>
public sealed class DesiredStateBurst<T>
    where T : class
{
    public static readonly TimeSpan MinLull = TimeSpan.FromMilliseconds(2);
    public static readonly TimeSpan MaxLull = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(100);

    private T? _latest;
    private TimeSpan _first;
    private TimeSpan _last;
    private TimeSpan _passCost;

    /// <summary>When the pending view is due (null: none pending).</summary>
    public TimeSpan? DueAt
    {
        get
        {
            if (_latest is null)
            {
                return null;
            }

            var quiet = _last + Lull;
            var latest = _first + MaxDelay;
            return quiet < latest ? quiet : latest;
        }
    }

    /// <summary>How long no newer view must arrive before the pending one is applied.</summary>
    public TimeSpan Lull
    {
        get
        {
            var twice = _passCost * 2;
            return twice < MinLull ? MinLull : twice > MaxLull ? MaxLull : twice;
        }
    }

    public void Arrived(T view, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_latest is null)
        {
            _first = now;
        }

        _latest = view;
        _last = now;
    }

    /// <summary>The latest view when it is due (then no longer pending), else null.</summary>
    public T? TakeIfDue(TimeSpan now)
    {
        if (DueAt is not { } due || now < due)
        {
            return null;
        }

        var latest = _latest;
        _latest = null;
        return latest;
    }

    /// <summary>What the last reconcile pass cost (planning and kernel), which sets the lull.</summary>
    public void PassTook(TimeSpan cost) => _passCost = cost < TimeSpan.Zero ? TimeSpan.Zero : cost;
}
