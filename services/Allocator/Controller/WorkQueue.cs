namespace Beacon.Allocator.Controller;

/// <summary>
/// Keys waiting to be reconciled, deduplicated: a key added ten times before it is taken is processed once.
/// Special keys <see cref="AllServices"/> and <see cref="Groups"/> widen the batch. Keys queued only because their
/// announcers changed (<see cref="AddTrailing"/>) wait until no other key is queued: what they change (the announcing
/// nodes annotation, announcement status) may trail, while the desired state of a burst's Services must reach the bus
/// first. In the scale lab's 1,000-Service add, announcements of the first Services published came back while the rest
/// were still queued, and each was reconciled in between.
/// </summary>
internal sealed class WorkQueue
{
    public const string AllServices = "*services";
    public const string Groups = "*groups";

    private readonly Lock gate = new();
    private readonly HashSet<string> pending = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private readonly HashSet<string> trailingPending = new(StringComparer.Ordinal);
    private readonly List<string> trailing = [];
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count + trailingPending.Count;
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
                // Taken with the others now; its stale place in the trailing list is skipped when reached.
                trailingPending.Remove(key);
            }
        }

        toSignal?.TrySetResult();
    }

    /// <summary>
    /// Queues a key whose only news is what trails the desired state (its announcers): taken once no key added with
    /// <see cref="Add"/> waits, and not at all when it already waits there.
    /// </summary>
    public void AddTrailing(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        TaskCompletionSource? toSignal = null;
        lock (gate)
        {
            if (!pending.Contains(key) && trailingPending.Add(key))
            {
                trailing.Add(key);
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

    /// <summary>Waits for at least one key, then takes up to <paramref name="max"/> in arrival order, trailing keys only when no other waits.</summary>
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

                if (trailingPending.Count > 0)
                {
                    var batch = new List<string>();
                    var taken = 0;
                    while (taken < trailing.Count && batch.Count < max)
                    {
                        var key = trailing[taken++];
                        if (trailingPending.Remove(key))
                        {
                            batch.Add(key);
                        }
                    }

                    trailing.RemoveRange(0, taken);
                    return batch;
                }

                trailing.Clear();
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
