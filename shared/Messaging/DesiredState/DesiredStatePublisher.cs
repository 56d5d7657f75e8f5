using System.Collections.Immutable;
using System.Globalization;
using Beacon.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// The Allocator's side of the desired state: holds service → allocation, stamps every change and release with the
/// next sequence number of this epoch, publishes it, answers paged snapshot requests (every page of one request
/// series reflects the same sequence), and publishes a digest periodically and after every (re)connect.
/// Changes while the bus is down still advance the state; replicas catch up through the digest and snapshots.
/// </summary>
public sealed partial class DesiredStatePublisher : IAsyncDisposable
{
    private const int MaxVersions = 8;
    private readonly IEventBus _bus;
    private readonly DesiredStatePublisherOptions _options;
    private readonly ILogger _logger;
    private readonly DroppedMessageReporter _reporter;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<SnapshotVersion> _versions = [];
    private readonly CancellationTokenSource _stopping = new();
    private PublishedState _state = new(0, ImmutableSortedDictionary<ServiceKey, AllocationChanged>.Empty);
    private DesiredStateDigest? _digest;
    private IAsyncDisposable? _snapshotSubscription;
    private Task? _digestLoop;

    public DesiredStatePublisher(
        IEventBus bus,
        DesiredStatePublisherOptions? options = null,
        ILogger<DesiredStatePublisher>? logger = null,
        MessagingCounters? counters = null)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _options = options ?? new DesiredStatePublisherOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Counters = counters ?? new MessagingCounters();
        _reporter = new DroppedMessageReporter(_logger, Counters);
        Epoch = _options.Epoch ?? NewEpoch();
    }

    public string Epoch { get; }

    public long Sequence => Volatile.Read(ref _state).Sequence;

    public MessagingCounters Counters { get; }

    /// <summary>The current desired state (an immutable view).</summary>
    public IReadOnlyDictionary<ServiceKey, AllocationChanged> Services => Volatile.Read(ref _state).Services;

    /// <summary>A fresh epoch: sortable UTC time plus randomness, unique per Allocator instance/leadership term.</summary>
    public static string NewEpoch() =>
        DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _bus.StateChanged += OnBusStateChanged;
        _snapshotSubscription = await _bus.SubscribeAsync(Subjects.Snapshot, ServeSnapshotAsync, cancellationToken: cancellationToken);
        _digestLoop = Task.Run(() => DigestLoopAsync(_stopping.Token), CancellationToken.None);
        LogStarted(_logger, Epoch);
    }

    /// <summary>
    /// Sets the desired state of one Service (Sequence and Epoch of the argument are ignored) and publishes it.
    /// Returns the stamped event, or null when nothing changed.
    /// </summary>
    /// <exception cref="MessageTooLargeException">The allocation does not fit in one message; the state is unchanged.</exception>
    public async ValueTask<AllocationChanged?> PublishChangeAsync(AllocationChanged desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var subject = Subjects.Allocation(desired.Service);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var state = _state;
            if (state.Services.TryGetValue(desired.Service, out var existing) && AllocationContent.Same(existing, desired))
            {
                return null;
            }

            var stamped = desired with { Sequence = state.Sequence + 1, Epoch = Epoch };
            var payload = CloudEventCodec.Encode(EventTypes.AllocationChanged, stamped, _options.Source, stamped.Service.ToString());
            if (payload.Length > _options.MaxPageBytes)
            {
                throw new MessageTooLargeException(
                    string.Create(CultureInfo.InvariantCulture, $"The allocation of {desired.Service} encodes to {payload.Length} bytes, over {_options.MaxPageBytes}"));
            }

            Volatile.Write(ref _state, new PublishedState(stamped.Sequence, state.Services.SetItem(desired.Service, stamped)));
            await _bus.PublishAsync(subject, payload, cancellationToken: cancellationToken);
            return stamped;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a Service from the desired state and publishes the release. False when it was not there.</summary>
    public async ValueTask<bool> PublishReleaseAsync(ServiceKey service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var subject = Subjects.Allocation(service);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var state = _state;
            if (!state.Services.ContainsKey(service))
            {
                return false;
            }

            var release = new AllocationReleased(service, state.Sequence + 1, Epoch);
            Volatile.Write(ref _state, new PublishedState(release.Sequence, state.Services.Remove(service)));
            await _bus.PublishEventAsync(subject, EventTypes.AllocationReleased, release, _options.Source, service.ToString(), cancellationToken);
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
            await PublishChangeAsync(allocation, cancellationToken);
        }

        foreach (var service in Services.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            await PublishReleaseAsync(service, cancellationToken);
        }
    }

    /// <summary>Count and hash of the current desired state.</summary>
    public DesiredStateDigest CurrentDigest()
    {
        var state = Volatile.Read(ref _state);
        var cached = Volatile.Read(ref _digest);
        if (cached is not null && cached.Sequence == state.Sequence)
        {
            return cached;
        }

        var digest = new DesiredStateDigest(Epoch, state.Sequence, state.Services.Count, DesiredStateHash.Compute(state.Services.Values));
        Volatile.Write(ref _digest, digest);
        return digest;
    }

    /// <summary>Publishes the digest now (also done periodically and on every (re)connect).</summary>
    public async Task PublishDigestAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _bus.PublishEventAsync(Subjects.Digest, EventTypes.Digest, CurrentDigest(), _options.Source, cancellationToken: cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _bus.StateChanged -= OnBusStateChanged;
        await _stopping.CancelAsync();
        if (_digestLoop is not null)
        {
            await _digestLoop;
        }

        if (_snapshotSubscription is not null)
        {
            await _snapshotSubscription.DisposeAsync();
        }

        _stopping.Dispose();
        _gate.Dispose();
    }

    private async ValueTask ServeSnapshotAsync(BusMessage message, CancellationToken cancellationToken)
    {
        if (message.ReplyTo is null)
        {
            _reporter.Dropped(new DecodeError(DecodeErrorKind.MissingAttribute, "snapshot request without a reply subject"), message.Subject);
            return;
        }

        var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.SnapshotRequest);
        if (decoded.Error is not null)
        {
            _reporter.Dropped(decoded.Error, message.Subject);
            return;
        }

        var request = decoded.Value!;
        var version = FindOrCapture(request);
        byte[] payload;
        if (version is null)
        {
            var state = Volatile.Read(ref _state);
            payload = CloudEventCodec.Encode(
                EventTypes.SnapshotPage,
                new SnapshotPage(Epoch, state.Sequence, 0, state.Services.Count, true, [], $"snapshot version {request.Epoch}/{request.Sequence} expired; start again at offset 0"),
                _options.Source);
        }
        else
        {
            payload = EncodePage(version, request);
        }

        await _bus.PublishAsync(message.ReplyTo, payload, cancellationToken: cancellationToken);
        Counters.Increment(MessagingCounter.SnapshotServed);
    }

    private byte[] EncodePage(SnapshotVersion version, SnapshotRequest request)
    {
        var total = version.Items.Length;
        var offset = Math.Clamp(request.Offset, 0, total);
        var count = Math.Min(Math.Clamp(request.Limit, 1, _options.MaxPageItems), total - offset);
        while (true)
        {
            var page = new SnapshotPage(
                version.Epoch,
                version.Sequence,
                offset,
                total,
                offset + count < total,
                new ArraySegment<AllocationChanged>(version.Items, offset, count));
            var payload = CloudEventCodec.Encode(EventTypes.SnapshotPage, page, _options.Source);
            if (payload.Length <= _options.MaxPageBytes || count <= 1)
            {
                return payload;
            }

            count /= 2;
        }
    }

    private SnapshotVersion? FindOrCapture(SnapshotRequest request)
    {
        var state = Volatile.Read(ref _state);
        lock (_versions)
        {
            var now = Environment.TickCount64;
            _versions.RemoveAll(v => now - v.LastUsedTicks > (long)_options.SnapshotRetention.TotalMilliseconds);
            var wanted = request.Epoch is null || request.Sequence is null
                ? state.Sequence
                : string.Equals(request.Epoch, Epoch, StringComparison.Ordinal) ? request.Sequence.Value : -1;
            var version = _versions.Find(v => v.Sequence == wanted);
            if (version is null && wanted == state.Sequence)
            {
                version = new SnapshotVersion(Epoch, state.Sequence, [.. state.Services.Values]);
                _versions.Add(version);
                if (_versions.Count > MaxVersions)
                {
                    _versions.Remove(_versions.MinBy(v => v.LastUsedTicks)!);
                }
            }

            if (version is not null)
            {
                version.LastUsedTicks = now;
            }

            return version;
        }
    }

    private async Task DigestLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.DigestInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await PublishDigestAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is BusStateChange.Connected or BusStateChange.Reconnected)
        {
            // Replicas that missed changes while this side was cut off notice through the digest.
            _ = Task.Run(async () =>
            {
                try
                {
                    await PublishDigestAsync(_stopping.Token);
                }
                catch (OperationCanceledException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing desired state as epoch {Epoch}")]
    private static partial void LogStarted(ILogger logger, string epoch);
}
