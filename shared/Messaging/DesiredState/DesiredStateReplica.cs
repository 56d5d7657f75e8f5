using System.Threading.Channels;
using Beacon.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// A node's (or tool's) full copy of the Allocator's desired state. Applies allocation events in sequence; on start,
/// on (re)connect, on a sequence gap, on an epoch change and on a digest mismatch it fetches a paged snapshot and
/// replaces its state atomically. While the bus is down it keeps what it has: nothing is dropped because NATS is.
/// </summary>
public sealed partial class DesiredStateReplica : IAsyncDisposable
{
    private readonly IEventBus _bus;
    private readonly DesiredStateReplicaOptions _options;
    private readonly ILogger _logger;
    private readonly DroppedMessageReporter _reporter;
    private readonly Lock _lock = new();
    private readonly Channel<string> _resync = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Func<DesiredStateView, bool> Predicate, TaskCompletionSource<DesiredStateView> Done)> _waiters = [];
    private ReplicaState _state = ReplicaState.Empty;
    private DesiredStateView _view = DesiredStateView.From(ReplicaState.Empty);
    private (string Epoch, long Sequence, string Hash)? _hash;
    private IAsyncDisposable? _allocations;
    private IAsyncDisposable? _digests;
    private Task? _loop;
    private CancellationTokenSource? _firstPageWait;

    public DesiredStateReplica(
        IEventBus bus,
        DesiredStateReplicaOptions? options = null,
        ILogger<DesiredStateReplica>? logger = null,
        MessagingCounters? counters = null)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _options = options ?? new DesiredStateReplicaOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Counters = counters ?? new MessagingCounters();
        _reporter = new DroppedMessageReporter(_logger, Counters);
    }

    /// <summary>Raised (in order, under the replica's lock: keep handlers short) whenever services change.</summary>
    public event EventHandler<DesiredStateChangedEventArgs>? Changed;

    public MessagingCounters Counters { get; }

    public DesiredStateView Current => Volatile.Read(ref _view);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _bus.StateChanged += OnBusStateChanged;
        _allocations = await _bus.SubscribeAsync(Subjects.AllAllocations, OnAllocationAsync, cancellationToken: cancellationToken);
        _digests = await _bus.SubscribeAsync(Subjects.Digest, OnDigestAsync, cancellationToken: cancellationToken);
        _loop = Task.Run(() => ResyncLoopAsync(_stopping.Token), CancellationToken.None);
        RequestResync("start");
    }

    /// <summary>Completes with the first view that satisfies <paramref name="predicate"/> (possibly the current one).</summary>
    public Task<DesiredStateView> WaitForAsync(Func<DesiredStateView, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var done = new TaskCompletionSource<DesiredStateView>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (predicate(_view))
            {
                return Task.FromResult(_view);
            }

            _waiters.Add((predicate, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    public Task<DesiredStateView> WaitUntilSynchronizedAsync(CancellationToken cancellationToken = default) =>
        WaitForAsync(v => v.Synchronized, cancellationToken);

    /// <summary>Asks for a snapshot (e.g. from an operator command). Returns immediately.</summary>
    public void RequestResync(string reason) => _resync.Writer.TryWrite(reason);

    public async ValueTask DisposeAsync()
    {
        _bus.StateChanged -= OnBusStateChanged;
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_allocations is not null)
        {
            await _allocations.DisposeAsync();
        }

        if (_digests is not null)
        {
            await _digests.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is BusStateChange.Connected or BusStateChange.Reconnected)
        {
            RequestResync(e.Change == BusStateChange.Connected ? "connected" : "reconnected");
        }
    }

    private ValueTask OnAllocationAsync(BusMessage message, CancellationToken cancellationToken)
    {
        var decoded = CloudEventCodec.Decode(message.Payload.Span, _options.MaxMessageBytes);
        if (decoded.Error is not null)
        {
            _reporter.Dropped(decoded.Error, message.Subject);
            return ValueTask.CompletedTask;
        }

        var envelope = decoded.Value!;
        DesiredStateEvent e;
        DecodeError? error;
        if (envelope.Is(EventTypes.AllocationReleased))
        {
            envelope.TryGetData(EventTypes.AllocationReleased, out var release, out error);
            e = release is null ? null! : DesiredStateEvent.Released(release);
        }
        else
        {
            envelope.TryGetData(EventTypes.AllocationChanged, out var change, out error);
            if (error?.Kind == DecodeErrorKind.UnexpectedType)
            {
                error = CloudEventCodec.CheckType(envelope.Type, EventTypes.AllocationReleased) is { Kind: DecodeErrorKind.UnknownMajorVersion } major ? major : error;
            }

            e = change is null ? null! : DesiredStateEvent.Changed(change);
        }

        if (error is null && (!Subjects.TryParseAllocation(message.Subject, out var key) || key != e.Service))
        {
            error = new DecodeError(DecodeErrorKind.SubjectMismatch, $"allocation for {e.Service} arrived on {message.Subject}");
        }

        if (error is not null)
        {
            _reporter.Dropped(error, message.Subject);
            return ValueTask.CompletedTask;
        }

        Apply(e);
        return ValueTask.CompletedTask;
    }

    private void Apply(DesiredStateEvent e)
    {
        lock (_lock)
        {
            var before = _state;
            var (after, outcome) = ReplicaReducer.Apply(before, e);
            _state = after;
            switch (outcome)
            {
                case ApplyOutcome.Applied:
                    var changed = new List<ServiceKey> { e.Service };
                    if (string.Equals(before.PendingEpoch, after.Epoch, StringComparison.Ordinal))
                    {
                        changed.AddRange(before.Pending.Where(p => p.Key <= after.Sequence && p.Key != e.Sequence).Select(p => p.Value.Service));
                    }

                    Publish(before, after, changed.Distinct().ToList(), fromSnapshot: false);
                    break;
                case ApplyOutcome.Duplicate:
                    Counters.Increment(MessagingCounter.DuplicateIgnored);
                    break;
                case ApplyOutcome.Gap when !before.NeedsSnapshot:
                    // Counted once per hole, not once per event that arrives after it.
                    Counters.Increment(MessagingCounter.GapDetected);
                    break;
                default:
                    break;
            }

            if (after.NeedsSnapshot && !after.Resyncing)
            {
                RequestResync(outcome.ToString());
            }
        }
    }

    private ValueTask OnDigestAsync(BusMessage message, CancellationToken cancellationToken)
    {
        var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.Digest, _options.MaxMessageBytes);
        if (decoded.Error is not null)
        {
            _reporter.Dropped(decoded.Error, message.Subject);
            return ValueTask.CompletedTask;
        }

        var digest = decoded.Value!;
        ReplicaState state;
        lock (_lock)
        {
            state = _state;
        }

        if (state.Resyncing || state.Epoch is null)
        {
            // A digest proves the Allocator is reachable now: a first snapshot request it never saw (sent before it
            // resubscribed after a server restart) is retried at once instead of waiting out its timeout.
            CancelFirstPageWait();
            return ValueTask.CompletedTask;
        }

        if (!string.Equals(state.Epoch, digest.Epoch, StringComparison.Ordinal))
        {
            RequestResync("digest from another epoch");
        }
        else if (digest.Sequence == state.Sequence)
        {
            if (digest.Count != state.Services.Count || !string.Equals(HashOf(state), digest.Hash, StringComparison.Ordinal))
            {
                Counters.Increment(MessagingCounter.DigestMismatch);
                LogDigestMismatch(_logger, digest.Epoch, digest.Sequence, digest.Count, state.Services.Count);
                RequestResync("digest mismatch");
            }
        }
        else if (digest.Sequence > state.Sequence)
        {
            // Events and digests travel on different subscriptions; give the events in flight a moment.
            _ = CheckBehindDigestLaterAsync(digest);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A replica behind a digest may simply be busy with the events in flight: it resynchronises only when a grace
    /// period passes without any progress (the tail of the stream was lost), not merely because it is slow.
    /// </summary>
    private async Task CheckBehindDigestLaterAsync(DesiredStateDigest digest)
    {
        var seen = Current.Sequence;
        while (true)
        {
            try
            {
                await Task.Delay(_options.DigestGrace, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var view = Current;
            if (!string.Equals(view.Epoch, digest.Epoch, StringComparison.Ordinal) || view.Sequence >= digest.Sequence)
            {
                return;
            }

            if (view.Sequence == seen)
            {
                Counters.Increment(MessagingCounter.GapDetected);
                RequestResync("behind the digest");
                return;
            }

            seen = view.Sequence;
        }
    }

    private void CancelFirstPageWait()
    {
        try
        {
            Volatile.Read(ref _firstPageWait)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request finished meanwhile.
        }
    }

    private string HashOf(ReplicaState state)
    {
        var cached = _hash;
        if (cached is { } c && c.Epoch == state.Epoch && c.Sequence == state.Sequence)
        {
            return c.Hash;
        }

        var hash = DesiredStateHash.Compute(state.Services.Values);
        _hash = (state.Epoch!, state.Sequence, hash);
        return hash;
    }

    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                var reason = await _resync.Reader.ReadAsync(cancellationToken);
                if (_bus.State != BusConnectionState.Connected)
                {
                    // The (re)connect event asks again; meanwhile the state we have stays in force.
                    continue;
                }

                lock (_lock)
                {
                    _state = ReplicaReducer.BeginSnapshot(_state);
                }

                // Requests made before this fetch started are answered by it.
                while (_resync.Reader.TryRead(out _))
                {
                }

                Counters.Increment(MessagingCounter.SnapshotRequested);
                try
                {
                    var (epoch, sequence, items) = await FetchSnapshotAsync(cancellationToken);
                    lock (_lock)
                    {
                        var before = _state;
                        var after = ReplicaReducer.ApplySnapshot(before, epoch, sequence, items);
                        if (before.Epoch is not null && !string.Equals(before.Epoch, epoch, StringComparison.Ordinal))
                        {
                            Counters.Increment(MessagingCounter.EpochChanged);
                        }
                        _state = after;
                        Publish(before, after, Diff(before, after), fromSnapshot: true);
                        if (after.NeedsSnapshot)
                        {
                            RequestResync("gap after snapshot");
                        }
                    }

                    Counters.Increment(MessagingCounter.SnapshotApplied);
                    LogSnapshotApplied(_logger, reason, epoch, sequence, items.Count);
                    failures = 0;
                }
                catch (Exception ex) when (ex is TimeoutException or EventBusUnavailableException or SnapshotFetchException)
                {
                    lock (_lock)
                    {
                        var before = _state;
                        _state = ReplicaReducer.AbandonSnapshot(before);
                        Publish(before, _state, [], fromSnapshot: false);
                    }

                    Counters.Increment(MessagingCounter.SnapshotFailed);
                    failures++;
                    if (failures == 1)
                    {
                        LogSnapshotFailed(_logger, reason, ex.Message);
                    }

                    await Task.Delay(Backoff(failures), cancellationToken);
                    RequestResync("retry");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private TimeSpan Backoff(int failures) => TimeSpan.FromMilliseconds(Math.Min(
        _options.RetryDelayMax.TotalMilliseconds,
        _options.RetryDelayMin.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16))));

    private async Task<(string Epoch, long Sequence, List<AllocationChanged> Items)> FetchSnapshotAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            string? epoch = null;
            long? sequence = null;
            var items = new List<AllocationChanged>();
            var restart = false;
            while (!restart)
            {
                var request = CloudEventCodec.Encode(
                    EventTypes.SnapshotRequest,
                    new SnapshotRequest(items.Count, _options.SnapshotPageSize, epoch, sequence),
                    _options.Source);
                BusMessage reply;
                if (items.Count == 0 && epoch is null)
                {
                    using var firstPage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    Volatile.Write(ref _firstPageWait, firstPage);
                    try
                    {
                        reply = await _bus.RequestAsync(Subjects.Snapshot, request, _options.RequestTimeout, firstPage.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        restart = true;
                        continue;
                    }
                    finally
                    {
                        Volatile.Write(ref _firstPageWait, null);
                    }
                }
                else
                {
                    reply = await _bus.RequestAsync(Subjects.Snapshot, request, _options.RequestTimeout, cancellationToken);
                }

                var decoded = CloudEventCodec.Decode(reply.Payload.Span, EventTypes.SnapshotPage, _options.MaxMessageBytes);
                if (decoded.Error is not null)
                {
                    _reporter.Dropped(decoded.Error, reply.Subject);
                    throw new SnapshotFetchException("unusable snapshot page: " + decoded.Error);
                }

                var page = decoded.Value!;
                if (page.Error is not null || (epoch is not null && (page.Epoch != epoch || page.Sequence != sequence)))
                {
                    restart = true;
                    continue;
                }

                if (page.Offset != items.Count)
                {
                    throw new SnapshotFetchException($"snapshot page at offset {page.Offset} where {items.Count} was asked for");
                }

                epoch ??= page.Epoch;
                sequence ??= page.Sequence;
                items.AddRange(page.Items);
                if (!page.More)
                {
                    if (items.Count != page.Total)
                    {
                        throw new SnapshotFetchException($"snapshot ended with {items.Count} of {page.Total} services");
                    }

                    return (epoch, sequence.Value, items);
                }

                if (page.Items.Count == 0)
                {
                    throw new SnapshotFetchException("empty snapshot page before the end");
                }
            }
        }

        throw new SnapshotFetchException("the snapshot version kept expiring");
    }

    private static List<ServiceKey> Diff(ReplicaState before, ReplicaState after)
    {
        var changed = new List<ServiceKey>();
        foreach (var (key, value) in after.Services)
        {
            if (!before.Services.TryGetValue(key, out var old)
                || (!(old.Sequence == value.Sequence && old.Epoch == value.Epoch) && !AllocationContent.Same(old, value)))
            {
                changed.Add(key);
            }
        }

        changed.AddRange(before.Services.Keys.Where(k => !after.Services.ContainsKey(k)));
        return changed;
    }

    /// <summary>Called under <see cref="_lock"/>: updates the view, wakes waiters, raises <see cref="Changed"/>.</summary>
    private void Publish(ReplicaState before, ReplicaState after, IReadOnlyCollection<ServiceKey> changed, bool fromSnapshot)
    {
        var previous = _view;
        var current = DesiredStateView.From(after);
        Volatile.Write(ref _view, current);
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Predicate(current))
            {
                _waiters[i].Done.TrySetResult(current);
                _waiters.RemoveAt(i);
            }
        }

        if (changed.Count == 0 || ReferenceEquals(before.Services, after.Services))
        {
            return;
        }

        try
        {
            Changed?.Invoke(this, new DesiredStateChangedEventArgs(previous, current, changed, fromSnapshot));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogChangedHandlerFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired state replaced from snapshot ({Reason}): epoch {Epoch} sequence {Sequence}, {Count} services")]
    private static partial void LogSnapshotApplied(ILogger logger, string reason, string epoch, long sequence, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot ({Reason}) failed: {Error}; keeping the current state and retrying")]
    private static partial void LogSnapshotFailed(ILogger logger, string reason, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest mismatch at epoch {Epoch} sequence {Sequence} (allocator has {Expected} services, replica {Actual}); resynchronising")]
    private static partial void LogDigestMismatch(ILogger logger, string epoch, long sequence, int expected, int actual);

    [LoggerMessage(Level = LogLevel.Error, Message = "A desired-state Changed handler failed")]
    private static partial void LogChangedHandlerFailed(ILogger logger, Exception exception);
}
