using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Beacon.Contracts;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// The Allocator's side of the desired state, the source of truth: holds service → allocation and stores every change
/// and release as the last message of its Service's subject in <see cref="BeaconStreams.Allocations"/>. Creates the
/// streams. Changes while the bus is down still advance the state and are stored once it is back; whenever the stream
/// turns out empty or behind (NATS restarted without its storage) the whole state is stored again. At the start of a
/// term it reads what the stream holds, so a new leader rewrites only what differs and releases what it no longer has.
/// Stores are pipelined through a <see cref="StoreWindow"/> (many acks in flight, sent in order on one connection); a
/// Service whose store is not acknowledged is stored again from its current value by the repair pass.
/// </summary>
public sealed partial class DesiredStatePublisher : IAsyncDisposable
{
    private readonly NatsEventBus _bus;
    private readonly DesiredStatePublisherOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ServiceKey, bool> _unstored = new();
    private readonly SemaphoreSlim _check = new(0, 1);
    private ImmutableSortedDictionary<ServiceKey, AllocationChanged> _services = ImmutableSortedDictionary<ServiceKey, AllocationChanged>.Empty;
    private ImmutableSortedDictionary<ServiceKey, AllocationChanged?> _stored = ImmutableSortedDictionary<ServiceKey, AllocationChanged?>.Empty;
    private long _sequence;
    private ulong _lastStoredSequence;
    private Task? _maintenance;
    private readonly StoreWindow _window;

    private static readonly TimeSpan MinCheckSpacing = TimeSpan.FromMilliseconds(100);

    public DesiredStatePublisher(
        IEventBus bus,
        DesiredStatePublisherOptions? options = null,
        ILogger<DesiredStatePublisher>? logger = null,
        MessagingCounters? counters = null)
    {
        _bus = bus as NatsEventBus ?? throw new ArgumentException("The desired state is stored in JetStream: it needs the NATS bus.", nameof(bus));
        _options = options ?? new DesiredStatePublisherOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Counters = counters ?? new MessagingCounters();
        Epoch = _options.Epoch ?? NewEpoch();
        _window = new StoreWindow(
            (subject, payload, ct) => JetStreamPendingStore.SendAsync(_bus.JetStream, subject, payload, ct),
            _options.MaxAcksInFlight,
            _options.PublishTimeout,
            OnStored,
            OnStoreFailed);
    }

    public string Epoch { get; }

    public long Sequence => Interlocked.Read(ref _sequence);

    public MessagingCounters Counters { get; }

    /// <summary>The current desired state (an immutable view).</summary>
    public IReadOnlyDictionary<ServiceKey, AllocationChanged> Services => Volatile.Read(ref _services);

    /// <summary>Services whose latest change or release could not be stored yet and waits for the repair pass.</summary>
    public int Unstored => _unstored.Count;

    /// <summary>Stores sent whose acknowledgement has not been checked yet.</summary>
    public int InFlight => _window.InFlight;

    /// <summary>
    /// Completes when every change and release made so far has been acknowledged by JetStream or handed to the repair
    /// pass (<see cref="Unstored"/>). Changes made meanwhile wait.
    /// </summary>
    public async Task WhenStoredAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _window.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes when the streams exist and what the allocations stream held at the start has been read.</summary>
    public Task Ready => _ready.Task;

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A fresh epoch: sortable UTC time plus randomness, unique per Allocator instance/leadership term.</summary>
    public static string NewEpoch() =>
        DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _bus.StateChanged += OnBusStateChanged;
        _maintenance = Task.Run(() => MaintainAsync(_stopping.Token), CancellationToken.None);
        LogStarted(_logger, Epoch);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sets the desired state of one Service (Sequence and Epoch of the argument are ignored) and stores it.
    /// Returns the stamped event, or null when nothing changed.
    /// </summary>
    /// <exception cref="MessageTooLargeException">The allocation does not fit in one message; the state is unchanged.</exception>
    public async ValueTask<AllocationChanged?> PublishChangeAsync(AllocationChanged desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_services.TryGetValue(desired.Service, out var existing) && AllocationContent.Same(existing, desired))
            {
                return null;
            }

            var stamped = desired with { Sequence = Interlocked.Increment(ref _sequence), Epoch = Epoch };
            var payload = Encode(stamped);
            Volatile.Write(ref _services, _services.SetItem(desired.Service, stamped));
            await StoreAsync(desired.Service, payload, cancellationToken).ConfigureAwait(false);
            return stamped;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a Service from the desired state and stores the release. False when it was not there.</summary>
    public async ValueTask<bool> PublishReleaseAsync(ServiceKey service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_services.ContainsKey(service))
            {
                return false;
            }

            Volatile.Write(ref _services, _services.Remove(service));
            await StoreAsync(service, EncodeRelease(service), cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes the desired state exactly <paramref name="desired"/>: publishes changes, then releases for the rest.</summary>
    public async Task ReplaceAllAsync(IEnumerable<AllocationChanged> desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var keep = new HashSet<ServiceKey>();
        foreach (var allocation in desired)
        {
            keep.Add(allocation.Service);
            await PublishChangeAsync(allocation, cancellationToken).ConfigureAwait(false);
        }

        foreach (var service in Services.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            await PublishReleaseAsync(service, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The term's first full pass is done: every Service the stream still holds as allocated but this Allocator does not
    /// know any more (deleted while there was no leader) is released.
    /// </summary>
    public async Task ReleaseUnknownAsync(CancellationToken cancellationToken = default)
    {
        await Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (service, stored) in Volatile.Read(ref _stored))
            {
                if (stored is not null && !_services.ContainsKey(service))
                {
                    LogReleasingUnknown(_logger, service.ToString());
                    await StoreAsync(service, EncodeRelease(service), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _bus.StateChanged -= OnBusStateChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_maintenance is not null)
        {
            await _maintenance.ConfigureAwait(false);
        }

        // Gives the acks in flight up to one publish timeout to arrive, then abandons them: never hangs on a dead server.
        await _window.DisposeAsync().ConfigureAwait(false);

        _stopping.Dispose();
        _gate.Dispose();
        _check.Dispose();
    }

    private byte[] Encode(AllocationChanged stamped)
    {
        var payload = CloudEventCodec.Encode(EventTypes.AllocationChanged, stamped, _options.Source, stamped.Service.ToString());
        if (payload.Length > _options.MaxMessageBytes)
        {
            throw new MessageTooLargeException(
                string.Create(CultureInfo.InvariantCulture, $"The allocation of {stamped.Service} encodes to {payload.Length} bytes, over {_options.MaxMessageBytes}"));
        }

        return payload;
    }

    private byte[] EncodeRelease(ServiceKey service) =>
        CloudEventCodec.Encode(EventTypes.AllocationReleased, new AllocationReleased(service, Interlocked.Increment(ref _sequence), Epoch), _options.Source, service.ToString());

    /// <summary>Sends one Service's latest message (under <see cref="_gate"/>); when that cannot be done now the repair pass does it later.</summary>
    private async Task StoreAsync(ServiceKey service, byte[] payload, CancellationToken cancellationToken)
    {
        if (_bus.State != BusConnectionState.Connected || !_ready.Task.IsCompletedSuccessfully)
        {
            // Never wait for NATS: the allocation loop must keep going while it is down.
            _unstored[service] = true;
            Counters.Increment(MessagingCounter.PublishNotConnected);
            return;
        }

        if (!await TrySendAsync(service, payload, cancellationToken).ConfigureAwait(false))
        {
            Signal();
        }
    }

    /// <summary>Sends through the window; false (and the Service left for repair) when it could not be sent.</summary>
    private async Task<bool> TrySendAsync(ServiceKey service, byte[] payload, CancellationToken cancellationToken)
    {
        _unstored.TryRemove(service, out _);
        try
        {
            if (await _window.SendAsync(service, Subjects.Allocation(service), payload, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            _unstored[service] = true;
            throw;
        }

        _unstored[service] = true;
        LogStoreFailed(_logger, Subjects.Allocation(service), "not sent");
        return false;
    }

    private void OnStored(ServiceKey service, ulong sequence)
    {
        InterlockedMax(ref _lastStoredSequence, sequence);
        Counters.Increment(MessagingCounter.Published);
    }

    /// <summary>
    /// A store was refused or not acknowledged in time. Later stores of other Services may still succeed; this Service
    /// is stored again from its current value (or release) by the repair pass, after everything sent so far, so the
    /// retry cannot overtake a newer change nor bring back an older one.
    /// </summary>
    private void OnStoreFailed(ServiceKey service, string error)
    {
        _unstored[service] = true;
        LogStoreFailed(_logger, Subjects.Allocation(service), error);
        Signal();
    }

    private static void InterlockedMax(ref ulong target, ulong value)
    {
        ulong current;
        do
        {
            current = Interlocked.Read(ref target);
            if (value <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref target, value, current) != current);
    }

    private void Signal()
    {
        try
        {
            if (_check.CurrentCount == 0)
            {
                _check.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
        }
    }

    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is BusStateChange.Connected or BusStateChange.Reconnected)
        {
            Signal();
        }
    }

    /// <summary>Creates the streams, reads what they hold, then keeps them complete: after reconnects and periodically.</summary>
    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await _bus.ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (!_ready.Task.IsCompleted)
                    {
                        await StreamProvisioner.EnsureAsync(_bus.JetStream, _options.Streams, cancellationToken).ConfigureAwait(false);
                        await ReadStoredAsync(cancellationToken).ConfigureAwait(false);
                        await RepairAsync(everything: false, cancellationToken).ConfigureAwait(false);
                        _ready.TrySetResult();
                    }
                    else
                    {
                        await CheckAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    // Whatever went wrong (NATS errors, a request timing out as OperationCanceledException while a
                    // stream elects its leader...), this loop must go on: it is what stores every failed change again.
                    LogCheckFailed(_logger, ex.Message);
                }

                // Even when signalled at once again (a store keeps being refused), pass by at most ten times a second.
                await Task.Delay(MinCheckSpacing, cancellationToken).ConfigureAwait(false);
                await _check.WaitAsync(_options.CheckInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the allocations stream once (last value per Service), as the previous leader left it.</summary>
    private async Task ReadStoredAsync(CancellationToken cancellationToken)
    {
        var stored = ImmutableSortedDictionary.CreateBuilder<ServiceKey, AllocationChanged?>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new LastValueReader(
            _bus,
            BeaconStreams.Allocations,
            (message, _) =>
            {
                var (e, _) = AllocationMessage.Decode(message, _options.MaxMessageBytes);
                if (e is not null)
                {
                    stored[e.Service] = e.Change;
                }

                return ValueTask.CompletedTask;
            },
            () => done.TrySetResult(),
            _logger);
        await using (reader.ConfigureAwait(false))
        {
            reader.Start();
            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _stored, stored.ToImmutable());
        LogReadStored(_logger, stored.Count(s => s.Value is not null), stored.Count);
    }

    /// <summary>The stream lost messages (recreated, emptied, or sequence went backwards): store everything again.</summary>
    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        INatsJSStream stream;
        int expected;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Compared only once nothing is in flight: a store sent but not yet acked is not "lost".
            await _window.DrainAsync(cancellationToken).ConfigureAwait(false);
            expected = _services.Keys.Count(k => !_unstored.ContainsKey(k));
            try
            {
                stream = await _bus.JetStream.GetStreamAsync(BeaconStreams.Allocations, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                await StreamProvisioner.EnsureAsync(_bus.JetStream, _options.Streams, cancellationToken).ConfigureAwait(false);
                stream = await _bus.JetStream.GetStreamAsync(BeaconStreams.Allocations, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        var state = stream.Info.State;
        var behind = state.LastSeq < Interlocked.Read(ref _lastStoredSequence) || state.Messages < expected;
        if (behind)
        {
            Counters.Increment(MessagingCounter.StreamRepopulated);
            LogRepopulating(_logger, state.Messages, Services.Count, state.LastSeq);
            Interlocked.Exchange(ref _lastStoredSequence, 0);
            await StreamProvisioner.EnsureAsync(_bus.JetStream, _options.Streams, cancellationToken).ConfigureAwait(false);
        }

        await RepairAsync(everything: behind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores what the stream lacks: everything, or the Services not stored yet and those the stream holds differently.</summary>
    private async Task RepairAsync(bool everything, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = Volatile.Read(ref _stored);
            Volatile.Write(ref _stored, ImmutableSortedDictionary<ServiceKey, AllocationChanged?>.Empty);
            foreach (var (service, allocation) in _services)
            {
                var upToDate = !everything && !_unstored.ContainsKey(service)
                    && (stored.IsEmpty || (stored.TryGetValue(service, out var held) && held is not null && AllocationContent.Same(held, allocation)));
                if (!upToDate && !await TrySendAsync(service, Encode(allocation), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            foreach (var service in _unstored.Keys.Where(k => !_services.ContainsKey(k)).ToList())
            {
                if (!await TrySendAsync(service, EncodeRelease(service), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (!stored.IsEmpty)
            {
                // Kept for ReleaseUnknownAsync: what the previous leader left behind.
                Volatile.Write(ref _stored, stored);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing desired state as epoch {Epoch}")]
    private static partial void LogStarted(ILogger logger, string epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "The allocations stream holds {Allocated} allocated services ({Total} subjects) from before this term")]
    private static partial void LogReadStored(ILogger logger, int allocated, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The allocations stream lost state ({Messages} messages for {Services} services, last sequence {LastSeq}): storing the whole desired state again")]
    private static partial void LogRepopulating(ILogger logger, long messages, int services, ulong lastSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Releasing {Service}: the stream still holds it but no Service needs it any more")]
    private static partial void LogReleasingUnknown(ILogger logger, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Subject}: {Error}; it is stored again on the next repair pass")]
    private static partial void LogStoreFailed(ILogger logger, string subject, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream check failed: {Error}; retrying")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
