using Beacon.Contracts;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// A node's (or tool's) full copy of the Allocator's desired state: the last message of every Service read from the
/// <see cref="BeaconStreams.Allocations"/> stream (catch-up), then every change live over core NATS on the same subjects
/// (<see cref="CatchUpThenLiveReader"/>). A release removes a Service; a Service merely missing from the stream (NATS
/// lost its storage) is kept until the Allocator says otherwise, and while the bus is down everything is kept: nothing
/// is withdrawn because NATS is.
/// <para>
/// Order: the Allocator stamps every change and release with its epoch and a sequence that grows within the epoch. A
/// message of the epoch already held for that Service that is not newer than what is held (a live copy of something
/// the stream read already gave, a repeated store) is ignored. A live message of another epoch for a Service the
/// stream read gave in the same round cannot be placed (two Allocator terms changed it while this replica caught up):
/// the replica reads the stream again.
/// </para>
/// </summary>
public sealed partial class DesiredStateReplica : IAsyncDisposable, ILiveStateHandler
{
    private readonly DesiredStateReplicaOptions _options;
    private readonly ILogger _logger;
    private readonly DroppedMessageReporter _reporter;
    private readonly Lock _lock = new();
    private readonly List<(Func<DesiredStateView, bool> Predicate, TaskCompletionSource<DesiredStateView> Done)> _waiters = [];
    private readonly CatchUpThenLiveReader _reader;
    private readonly AllocationInterner _interner = new();
    private DesiredStateView _view = DesiredStateView.Empty;

    // During a round's catch-up and seam only: (epoch, sequence) of every Service the stream read gave, releases included.
    private Dictionary<ServiceKey, (string Epoch, long Sequence)>? _seam;

    // Releases applied live that no catch-up has yet seen stored: a stream read (after a reconnect, while the store of
    // the release was not acknowledged) may still hold the older change, which must not bring the Service back.
    private readonly Dictionary<ServiceKey, (string Epoch, long Sequence)> _released = [];

    private const int MaxReleasesKept = 10_000;

    public DesiredStateReplica(
        IEventBus bus,
        DesiredStateReplicaOptions? options = null,
        ILogger<DesiredStateReplica>? logger = null,
        MessagingCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _options = options ?? new DesiredStateReplicaOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Counters = counters ?? new MessagingCounters();
        _reporter = new DroppedMessageReporter(_logger, Counters);
        _reader = new CatchUpThenLiveReader(bus, BeaconStreams.Allocations, Subjects.AllAllocations, this, _logger, _options.LiveBufferCapacity);
    }

    /// <summary>Raised (in order, under the replica's lock: keep handlers short) whenever services change.</summary>
    public event EventHandler<DesiredStateChangedEventArgs>? Changed;

    public MessagingCounters Counters { get; }

    /// <summary>Full reads of the stream so far (the first included): each reconnect, gap or unplaceable message adds one.</summary>
    public int CatchUps => _reader.Rounds;

    public DesiredStateView Current => Volatile.Read(ref _view);

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _reader.Start();
        return Task.CompletedTask;
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

    /// <summary>Reads the stream again from the last value of every Service (e.g. from an operator command). Returns immediately.</summary>
    public void RequestResync(string reason)
    {
        LogResync(_logger, reason);
        _reader.Restart();
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    void ILiveStateHandler.RoundStarted()
    {
        lock (_lock)
        {
            _seam = [];
        }
    }

    ValueTask ILiveStateHandler.HandleAsync(IReadOnlyList<StateMessage> batch, CancellationToken cancellationToken)
    {
        var events = new List<(DesiredStateEvent Event, bool Live)>(batch.Count);
        // Indexed, not foreach: an enumerator per batch is an allocation per live message when the replica keeps up.
        for (var i = 0; i < batch.Count; i++)
        {
            var (subject, payload, streamSequence) = batch[i];
            var (e, error) = AllocationMessage.Decode(subject, payload, _options.MaxMessageBytes, _interner);
            if (error is not null)
            {
                _reporter.Dropped(error, subject);
                continue;
            }

            events.Add((e!, streamSequence == 0));
        }

        string? resync = null;
        lock (_lock)
        {
            var before = _view;
            var services = ((ServiceMap)before.Services).ToBuilder();
            var changed = new HashSet<ServiceKey>();
            var last = (before.Epoch, before.Sequence);
            foreach (var (e, live) in events)
            {
                Apply(services, e, live, changed, ref resync);
                last = (e.Epoch, e.Sequence);
            }

            if (events.Count > 0)
            {
                Publish(before with { Epoch = last.Epoch, Sequence = last.Sequence, Services = services.ToImmutable() }, changed);
            }
        }

        Counters.Add(MessagingCounter.Received, events.Count);
        if (resync is null && _released.Count > MaxReleasesKept)
        {
            // A catch-up forgets every release the stream confirms, so this bounds what churn leaves here.
            resync = $"{_released.Count} releases not yet seen in the stream";
        }

        if (resync is not null)
        {
            RequestResync(resync);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Applies one message to the services being built (under <see cref="_lock"/>), following the order rule above.</summary>
    private void Apply(ServiceMap.Builder services, DesiredStateEvent e, bool live, HashSet<ServiceKey> changed, ref string? resync)
    {
        (string Epoch, long Sequence)? held = services.TryGetValue(e.Service, out var existing) ? (existing.Epoch, existing.Sequence)
            : _released.TryGetValue(e.Service, out var released) ? released
            : _seam is not null && _seam.TryGetValue(e.Service, out var gone) ? gone : null;
        if (!live && _seam is not null)
        {
            _seam[e.Service] = (e.Epoch, e.Sequence);
        }

        if (held is { } h && h.Epoch == e.Epoch && e.Sequence <= h.Sequence)
        {
            // Not newer than what is held: the live copy of what the stream read gave, or a store repeated.
            return;
        }

        if (live && held is { } other && other.Epoch != e.Epoch && _seam is not null && _seam.ContainsKey(e.Service))
        {
            resync = $"a live change of {e.Service} from epoch {e.Epoch} arrived while catching up with epoch {other.Epoch}";
            return;
        }

        if (e.Change is { } change)
        {
            // Stored even when only the stamps moved on, so an older message arriving later is recognised as older.
            // Keyed by the change's own ServiceKey (decoded with its namespace shared), not a second copy.
            services.Set(change);
            _released.Remove(e.Service);
            if (existing is null || !AllocationContent.Same(existing, change))
            {
                changed.Add(e.Service);
            }
        }
        else
        {
            if (live)
            {
                _released[e.Service] = (e.Epoch, e.Sequence);
            }

            if (services.Remove(e.Service))
            {
                changed.Add(e.Service);
            }
        }
    }

    void ILiveStateHandler.CaughtUp()
    {
        lock (_lock)
        {
            if (!_view.Synchronized)
            {
                LogSynchronized(_logger, _view.Services.Count);
                // Raised even though no Service changed: consumers start acting on the state once it is complete.
                Publish(_view with { Synchronized = true }, [], raiseAnyway: true);
            }
        }
    }

    void ILiveStateHandler.SeamClosed()
    {
        lock (_lock)
        {
            foreach (var (service, release) in _released.ToList())
            {
                if (_seam is not null && _seam.TryGetValue(service, out var stored) && stored.Epoch == release.Epoch && stored.Sequence >= release.Sequence)
                {
                    _released.Remove(service);
                }
            }

            _seam = null;
        }
    }

    /// <summary>Called under <see cref="_lock"/>: updates the view, wakes waiters, raises <see cref="Changed"/>.</summary>
    private void Publish(DesiredStateView current, IReadOnlyCollection<ServiceKey> changed, bool raiseAnyway = false)
    {
        var previous = _view;
        Volatile.Write(ref _view, current);
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Predicate(current))
            {
                _waiters[i].Done.TrySetResult(current);
                _waiters.RemoveAt(i);
            }
        }

        if (changed.Count == 0 && !raiseAnyway)
        {
            return;
        }

        try
        {
            Changed?.Invoke(this, new DesiredStateChangedEventArgs(previous, current, changed));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogChangedHandlerFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired state read from the stream: {Count} services")]
    private static partial void LogSynchronized(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-reading the desired state from the stream ({Reason})")]
    private static partial void LogResync(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A desired-state Changed handler failed")]
    private static partial void LogChangedHandlerFailed(ILogger logger, Exception exception);
}
