using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Beacon.Messaging.Nats;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Reads one of Beacon's last-value streams with an ordered (ephemeral, read-only) consumer: first the last message of
/// every subject, then every new one as it is stored. After every reconnect it starts over from "last per subject", so
/// a stream that was emptied and repopulated (NATS restarted without its storage) is read again from its new start.
/// Readers treat a subject missing from the stream as "unknown", never as "deleted": releases are messages of their own.
/// </summary>
public sealed partial class LastValueReader : IAsyncDisposable
{
    private readonly NatsEventBus _bus;
    private readonly string _stream;
    private readonly Func<BusMessage, ulong, ValueTask> _handler;
    private readonly Action _caughtUp;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource _round = new();
    private Task? _loop;

    /// <param name="handler">Each stored message with its stream sequence, in stream order per subject.</param>
    /// <param name="caughtUp">Called once per round when everything stored at its start has been handed over.</param>
    public LastValueReader(IEventBus bus, string stream, Func<BusMessage, ulong, ValueTask> handler, Action caughtUp, ILogger? logger = null)
    {
        _bus = bus as NatsEventBus ?? throw new ArgumentException("Reading a stream needs the NATS bus (JetStream).", nameof(bus));
        _stream = stream;
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _caughtUp = caughtUp ?? throw new ArgumentNullException(nameof(caughtUp));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How long a stalled consumer goes unnoticed; the library recreates it after missing two heartbeats.</summary>
    public static TimeSpan IdleHeartbeat { get; } = TimeSpan.FromSeconds(1);

    public void Start()
    {
        _bus.StateChanged += OnBusStateChanged;
        _loop ??= Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Starts over from "last per subject" (e.g. when the stream is known to have been repopulated).</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _round.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _bus.StateChanged -= OnBusStateChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        Restart();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _round.Dispose();
    }

    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change == BusStateChange.Reconnected)
        {
            Restart();
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            CancellationTokenSource round;
            lock (_gate)
            {
                if (_round.IsCancellationRequested)
                {
                    _round.Dispose();
                    _round = new CancellationTokenSource();
                }

                round = _round;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, round.Token);
            try
            {
                await _bus.ConnectAsync(linked.Token).ConfigureAwait(false);
                await ReadRoundAsync(linked.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (ex is OperationCanceledException or EventBusUnavailableException && linked.IsCancellationRequested)
            {
                failures = 0;
            }
            catch (Exception ex) when (ex is NatsException or TimeoutException)
            {
                failures++;
                if (failures == 1)
                {
                    LogReadFailed(_logger, _stream, ex.Message);
                }

                try
                {
                    // A missing stream is normal for a moment (the Allocator creates it); retry soon, then less often.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * failures)), linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task ReadRoundAsync(CancellationToken cancellationToken)
    {
        // The stream keeps one message per subject, so delivering "all" from its start is "the last value of every
        // subject" (and works on nats-server 2.9, which has no multi-filter consumers).
        var stream = await _bus.JetStream.GetStreamAsync(_stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var lastAtStart = stream.Info.State.LastSeq;
        var caughtUp = false;
        if (stream.Info.State.Messages == 0)
        {
            caughtUp = true;
            _caughtUp();
        }

        var consumer = await _bus.JetStream.CreateOrderedConsumerAsync(
            _stream,
            new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All },
            cancellationToken).ConfigureAwait(false);
        var opts = new NatsJSConsumeOpts { MaxMsgs = 1000, IdleHeartbeat = IdleHeartbeat, Expires = TimeSpan.FromSeconds(5) };
        await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: opts, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var sequence = message.Metadata?.Sequence.Stream ?? 0;
            try
            {
                await _handler(new BusMessage(message.Subject, null, message.Data ?? []), sequence).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                // One message a handler cannot take must not end the reading for good (nothing would restart it).
                LogHandlerFailed(_logger, _stream, message.Subject, ex);
            }
            if (!caughtUp && (sequence >= lastAtStart || message.Metadata is { NumPending: 0 }))
            {
                caughtUp = true;
                _caughtUp();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A message of stream {Stream} on {Subject} could not be handled; skipped")]
    private static partial void LogHandlerFailed(ILogger logger, string stream, string subject, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read stream {Stream} yet: {Error}; retrying (the state held so far stays in force)")]
    private static partial void LogReadFailed(ILogger logger, string stream, string error);
}
