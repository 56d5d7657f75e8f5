namespace Beacon.Kube.Client;

/// <summary>
/// Client-side rate limiter: up to Burst requests at once, refilled at Qps per second. Callers reserve a token and
/// wait until it is due, so waiting callers are served in arrival order.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _qps;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double qps, int burst, TimeProvider? time = null)
    {
        if (!(qps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(qps), qps, "QPS must be positive.");
        }

        if (burst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, "Burst must be at least 1.");
        }

        _qps = qps;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _lastRefill = _time.GetTimestamp();
    }

    /// <summary>Takes a token and returns how long the caller must wait before using it (zero when one was available).</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
            _lastRefill = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed * _qps));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var wait = Reserve();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
