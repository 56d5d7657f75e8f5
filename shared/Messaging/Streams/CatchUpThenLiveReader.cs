using Beacon.Messaging.Nats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Reads one of Beacon's last-value streams for catch-up only, then follows live changes over core NATS on the same
/// subjects (what JetStream captures is also delivered to core subscribers). A round: subscribe to the subjects
/// (buffering), read the stream with an ordered consumer up to what it held at the start, stop the consumer, then hand
/// over the buffered live messages (the seam) and everything live after them. A JetStream consumer per reader costs
/// the server and the client tens of microseconds per message and reader; a core subscription a few: 100 agents
/// following 10,000 changes is 1,000,000 deliveries. The live messages come through a
/// <see cref="LiveStateSubscription"/>, which keeps them as raw bytes and wakes this reader once per batch.
/// <para>
/// Core NATS does not redeliver, so anything that may have lost a live message starts a new round: a reconnect, a
/// message the subscription dropped because the handler was that far behind, or the handler asking for it
/// (<see cref="Restart"/>). Messages of the seam may be older than what the stream read gave; the handler tells them
/// apart (stream messages come with their stream sequence, live ones with 0).
/// </para>
/// </summary>
public sealed partial class CatchUpThenLiveReader : IAsyncDisposable
{
    private readonly NatsEventBus _bus;
    private readonly string _stream;
    private readonly string _subjects;
    private readonly ILiveStateHandler _handler;
    private readonly ILogger _logger;
    private readonly int _liveCapacity;
    private readonly StreamReadRounds _reading;
    private const int BatchSize = 1000;

    private LiveStateSubscription? _live;

    /// <param name="subjects">The stream's subjects (one filter, wildcards allowed) to follow live.</param>
    /// <param name="liveCapacity">Live messages buffered while the handler is busy; one more is a gap (a new round).</param>
    public CatchUpThenLiveReader(IEventBus bus, string stream, string subjects, ILiveStateHandler handler, ILogger? logger = null, int liveCapacity = 100_000)
    {
        _bus = bus as NatsEventBus ?? throw new ArgumentException("Reading a stream needs the NATS bus (JetStream).", nameof(bus));
        _stream = stream;
        _subjects = subjects;
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? NullLogger.Instance;
        _reading = new StreamReadRounds(_bus, stream, ReadRoundAsync, _logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(liveCapacity, 1);
        _liveCapacity = liveCapacity;
    }

    /// <summary>Rounds started so far (the first one included): each is a full catch-up read of the stream.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    private int _rounds;

    public void Start()
    {
        _bus.StateChanged += OnBusStateChanged;
        _reading.Start();
    }

    /// <summary>Starts a new round: catch-up from the stream, then live again.</summary>
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
        Interlocked.Increment(ref _rounds);

        // Subscribed before the stream is read, so nothing stored after the read's start is missed: it is pending.
        LiveStateSubscription? live = null;
        live = await LiveStateSubscription.SubscribeAsync(_bus.Connection, _subjects, _liveCapacity, () => OnGap(live), cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _live, live);
            await _bus.Connection.PingAsync(cancellationToken).ConfigureAwait(false);
            _handler.RoundStarted();

            await CatchUpAsync(cancellationToken).ConfigureAwait(false);

            // What arrived while reading the stream is the seam: it may repeat or predate what the read gave.
            var seam = live.Pending;
            _handler.CaughtUp();
            var handed = 0;
            if (seam == 0)
            {
                _handler.SeamClosed();
            }

            var spare = live.NewMessages();
            try
            {
                while (await live.TakeAsync(spare, cancellationToken).ConfigureAwait(false) is { } taken)
                {
                    spare = taken;
                    for (var i = 0; i < taken.Count;)
                    {
                        // The seam's end falls on a batch boundary, so the handler can drop what it kept for the seam.
                        // Everything already waiting is handed over at once: one new view per batch, not per message.
                        var limit = handed < seam ? Math.Min(BatchSize, seam - handed) : BatchSize;
                        var count = Math.Min(limit, taken.Count - i);
                        var before = handed;
                        handed += count;
                        await HandleAsync(new LiveBatch(taken, i, count), cancellationToken).ConfigureAwait(false);
                        i += count;
                        if (before < seam && handed >= seam)
                        {
                            _handler.SeamClosed();
                        }
                    }
                }
            }
            finally
            {
                // The handler keeps nothing of the payloads (ILiveStateHandler.HandleAsync): their chunks are let go of now.
                spare.Clear();
                live.ReleaseChunks();
            }
        }
        finally
        {
            await live.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnGap(LiveStateSubscription? live)
    {
        if (live is not null && ReferenceEquals(live, Volatile.Read(ref _live)))
        {
            LogGap(_logger, _stream, _liveCapacity);
            Restart();
        }
    }

    /// <summary>Reads the stream from its start to what it held when the read began (one message per subject).</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var stream = await _bus.JetStream.GetStreamAsync(_stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var lastAtStart = stream.Info.State.LastSeq;
        if (stream.Info.State.Messages == 0)
        {
            return;
        }

        var consumer = await _bus.JetStream.CreateOrderedConsumerAsync(
            _stream,
            new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All },
            cancellationToken).ConfigureAwait(false);
        // Large batches: the read is one burst, and every pull request is a round trip.
        var opts = new NatsJSConsumeOpts { MaxMsgs = 10_000, IdleHeartbeat = LastValueReader.IdleHeartbeat, Expires = TimeSpan.FromSeconds(5) };
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batch = new PooledBatch(BatchSize);
        try
        {
            await foreach (var message in consumer.ConsumeAsync<NatsMemoryOwner<byte>>(opts: opts, cancellationToken: done.Token).ConfigureAwait(false))
            {
                var sequence = message.Metadata?.Sequence.Stream ?? 0;
                batch.Add(message.Subject, message.Data, Math.Max(sequence, 1));
                var last = sequence >= lastAtStart || message.Metadata is { NumPending: 0 };
                if (last || batch.Count == BatchSize)
                {
                    try
                    {
                        await HandleAsync(batch.Messages, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        // The handler keeps nothing of the payloads (ILiveStateHandler.HandleAsync): their buffers go back now.
                        batch.Clear();
                    }
                }

                if (last)
                {
                    // Ends the consumer: from here on, live messages carry the changes.
                    await done.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async ValueTask HandleAsync(IReadOnlyList<StateMessage> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _handler.HandleAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // Messages a handler cannot take must not end the reading for good (nothing would restart it).
            LogHandlerFailed(_logger, _stream, batch[0].Subject, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Messages of stream {Stream} from {Subject} on could not be handled; skipped")]
    private static partial void LogHandlerFailed(ILogger logger, string stream, string subject, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live message of {Stream} was dropped ({Capacity} already waiting for the handler): reading the stream again")]
    private static partial void LogGap(ILogger logger, string stream, int capacity);
}
