namespace Beacon.Allocator.Controller;

/// <summary>
/// Keys waiting to be reconciled, deduplicated: a key added ten times before it is taken is processed once.
/// Special keys <see cref="AllServices"/> and <see cref="Groups"/> widen the batch.
/// </summary>
internal sealed class WorkQueue
{
    public const string AllServices = "*services";
    public const string Groups = "*groups";

    private readonly Lock gate = new();
    private readonly HashSet<string> pending = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    public void Add(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        TaskCompletionSource? toSignal = null;
        lock (gate)
        {
            if (pending.Add(key))
            {
                order.Add(key);
                toSignal = signal;
            }
        }

        toSignal?.TrySetResult();
    }

    /// <summary>Adds the key again after <paramref name="delay"/> (failed writes back off instead of spinning).</summary>
    public void AddAfter(string key, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        _ = Task.Delay(delay, time, cancellationToken).ContinueWith(
            t =>
            {
                if (!t.IsCanceled)
                {
                    Add(key);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits for at least one key, then takes up to <paramref name="max"/> in arrival order.</summary>
    public async Task<IReadOnlyList<string>> TakeAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (order.Count > 0)
                {
                    var n = Math.Min(max, order.Count);
                    var batch = order.GetRange(0, n);
                    order.RemoveRange(0, n);
                    foreach (var key in batch)
                    {
                        pending.Remove(key);
                    }

                    return batch;
                }

                if (signal.Task.IsCompleted)
                {
                    signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wait = signal.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
