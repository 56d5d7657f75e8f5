using System.Collections.Immutable;
using Beacon.Contracts;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// A node's (or tool's) full copy of the Allocator's desired state, read from the <see cref="BeaconStreams.Allocations"/>
/// stream: the last message of every Service first, then every change as the Allocator stores it. A release removes a
/// Service; a Service merely missing from the stream (NATS lost its storage) is kept until the Allocator says otherwise,
/// and while the bus is down everything is kept: nothing is withdrawn because NATS is.
/// </summary>
public sealed partial class DesiredStateReplica : IAsyncDisposable
{
    private readonly DesiredStateReplicaOptions _options;
    private readonly ILogger _logger;
    private readonly DroppedMessageReporter _reporter;
    private readonly Lock _lock = new();
    private readonly List<(Func<DesiredStateView, bool> Predicate, TaskCompletionSource<DesiredStateView> Done)> _waiters = [];
    private readonly LastValueReader _reader;
    private readonly AllocationInterner _interner = new();
    private DesiredStateView _view = DesiredStateView.Empty;

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
        _reader = new LastValueReader(bus, BeaconStreams.Allocations, OnMessageAsync, OnCaughtUp, _logger);
    }

    /// <summary>Raised (in order, under the replica's lock: keep handlers short) whenever services change.</summary>
    public event EventHandler<DesiredStateChangedEventArgs>? Changed;

    public MessagingCounters Counters { get; }

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

    private ValueTask OnMessageAsync(BusMessage message, ulong sequence)
    {
        var (e, error) = AllocationMessage.Decode(message, _options.MaxMessageBytes);
        if (error is not null)
        {
            _reporter.Dropped(error, message.Subject);
            return ValueTask.CompletedTask;
        }

        lock (_lock)
        {
            var before = _view;
            var services = (ImmutableSortedDictionary<ServiceKey, AllocationChanged>)before.Services;
            var after = e!.Change is { } decoded && _interner.Compact(decoded) is var change
                ? services.TryGetValue(change.Service, out var existing) && AllocationContent.Same(existing, change) ? services : services.SetItem(change.Service, change)
                : services.Remove(e.Service);
            Publish(before with { Epoch = e.Epoch, Sequence = (long)sequence, Services = after }, ReferenceEquals(after, services) ? [] : [e.Service]);
        }

        Counters.Increment(MessagingCounter.Received);
        return ValueTask.CompletedTask;
    }

    private void OnCaughtUp()
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
