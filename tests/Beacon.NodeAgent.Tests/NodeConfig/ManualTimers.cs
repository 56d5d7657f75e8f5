using System.Collections.Concurrent;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>A time provider whose timers fire only when the test says so, and which records each timer's due time.</summary>
internal sealed class ManualTimers : TimeProvider
{
    private readonly ConcurrentQueue<Timer> _timers = new();

    public IReadOnlyList<TimeSpan> DueTimes => [.. _timers.Select(t => t.Due)];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(callback, state, dueTime);
        _timers.Enqueue(timer);
        return timer;
    }

    public void FireAll()
    {
        foreach (var timer in _timers)
        {
            timer.Fire();
        }
    }

    private sealed class Timer(TimerCallback callback, object? state, TimeSpan due) : ITimer
    {
        private int _fired;

        public TimeSpan Due { get; private set; } = due;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime;
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
