namespace Beacon.Kube.Informers;

/// <summary>
/// Doubling delays up to a cap, each randomised into [d/2, d] ("equal jitter") so many clients recovering from the
/// same outage do not retry in lockstep.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private TimeSpan _current;

    public ExponentialBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        if (initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "Initial backoff must be positive.");
        }

        if (max < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "Maximum backoff must be at least the initial backoff.");
        }

        _initial = initial;
        _max = max;
        _random = random ?? Random.Shared;
        _current = initial;
    }

    public TimeSpan Next()
    {
        var ceiling = _current;
        _current = TimeSpan.FromTicks(Math.Min(_max.Ticks, _current.Ticks * 2));
        var half = ceiling.Ticks / 2;
        return TimeSpan.FromTicks(half + (long)(_random.NextDouble() * (ceiling.Ticks - half)));
    }

    public void Reset() => _current = _initial;
}
