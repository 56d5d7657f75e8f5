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
    private readonly StreamReadRounds _reading;

    /// <param name="handler">Each stored message with its stream sequence, in stream order per subject.</param>
    /// <param name="caughtUp">Called once per round when everything stored at its start has been handed over.</param>
    public LastValueReader(IEventBus bus, string stream, Func<BusMessage, ulong, ValueTask> handler, Action caughtUp, ILogger? logger = null)
    {
        _bus = bus as NatsEventBus ?? throw new ArgumentException("Reading a stream needs the NATS bus (JetStream).", nameof(bus));
        _stream = stream;
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _caughtUp = caughtUp ?? throw new ArgumentNullException(nameof(caughtUp));
        _logger = logger ?? NullLogger.Instance;
        _reading = new StreamReadRounds(_bus, stream, ReadRoundAsync, _logger);
    }

    /// <summary>How long a stalled consumer goes unnoticed; the library recreates it after missing two heartbeats.</summary>
    public static TimeSpan IdleHeartbeat { get; } = TimeSpan.FromSeconds(1);

    public void Start()
    {
        _bus.StateChanged += OnBusStateChanged;
        _reading.Start();
    }

    /// <summary>Starts over from "last per subject" (e.g. when the stream is known to have been repopulated).</summary>
    public void Restart()
    {
        _reading.Restart();
    }

    public async ValueTask DisposeAsync()
    {
        _bus.StateChanged -= OnBusStateChanged;
        await _reading.DisposeAsync().ConfigureAwait(false);
    }

    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change == BusStateChange.Reconnected)
        {
            Restart();
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
}
