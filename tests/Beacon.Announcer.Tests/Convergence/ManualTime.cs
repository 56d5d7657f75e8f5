namespace Beacon.Announcer.Tests.Convergence;

/// <summary>A clock that moves only when the test advances it; its timers fire then (enough for Task.Delay).</summary>
internal sealed class ManualTime : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<Timer> _timers = [];
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state, dueTime);
        lock (_gate)
        {
            timer.DueAt = _now + dueTime.Ticks;
            timer.Length = dueTime;
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>Completes once a timer of <paramref name="length"/> is armed (polled: timers are created on other threads).</summary>
    public async Task WaitForTimerAsync(TimeSpan length)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_timers.Any(t => t.Length == length))
                {
                    return;
                }
            }

            await Task.Delay(1);
        }
    }

    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (_gate)
        {
            _now += by.Ticks;
            due = [.. _timers.Where(t => t.DueAt <= _now)];
            _timers.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Remove(Timer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class Timer(ManualTime owner, TimerCallback callback, object? state, TimeSpan dueTime) : ITimer
    {
        public long DueAt { get; set; }

        public TimeSpan Length { get; set; } = dueTime;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Remove(this);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                lock (owner._gate)
                {
                    DueAt = owner._now + dueTime.Ticks;
                    Length = dueTime;
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
