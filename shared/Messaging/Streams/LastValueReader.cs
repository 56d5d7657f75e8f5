using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Reads one of Beacon's last-value streams: first the last message of every subject, then every new one as it is
/// stored. The stream is read with a consumer only to catch up; after that the changes arrive over a core subscription
/// on the stream's subjects (<see cref="CatchUpThenLiveReader"/>), so an idle reader costs the server and the client
/// nothing: a JetStream consumer kept open for live changes exchanged idle heartbeats and pull requests, ≈ 2.4 messages a
/// second per reader (docs/benchmarks.md, "Idle bus traffic"). After every reconnect, or a live message the client had
/// to drop, it starts over from "last per subject", so a stream that was emptied and repopulated (NATS restarted
/// without its storage) is read again from its new start. Readers treat a subject missing from the stream as
/// "unknown", never as "deleted": releases are messages of their own. A change published while a round catches up may
/// reach the handler twice (from the stream, then live), in the order it was published.
/// </summary>
public sealed partial class LastValueReader : IAsyncDisposable
{
    private readonly CatchUpThenLiveReader _reader;

    /// <param name="handler">Each message with its stream sequence (0 for a live one), in publish order per subject.</param>
    /// <param name="caughtUp">Called once per round when everything stored at its start has been handed over.</param>
    /// <param name="subjects">The stream's subjects; by default those <see cref="BeaconStreams"/> gives the stream.</param>
    public LastValueReader(IEventBus bus, string stream, Func<BusMessage, ulong, ValueTask> handler, Action caughtUp, ILogger? logger = null, string? subjects = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(caughtUp);
        var log = logger ?? NullLogger.Instance;
        var filter = subjects ?? BeaconStreams.SubjectsOf(stream)
            ?? throw new ArgumentException($"Stream {stream} is not one of Beacon's; name its subjects.", nameof(subjects));
        _reader = new CatchUpThenLiveReader(bus, stream, filter, new Handler(stream, handler, caughtUp, log), log, liveCapacity: 10_000);
    }

    /// <summary>How long a stalled catch-up consumer goes unnoticed; the library recreates it after missing two heartbeats.</summary>
    public static TimeSpan IdleHeartbeat { get; } = TimeSpan.FromSeconds(1);

    public void Start() => _reader.Start();

    /// <summary>Starts over from "last per subject" (e.g. when the stream is known to have been repopulated).</summary>
    public void Restart() => _reader.Restart();

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    /// <summary>Hands the messages over one at a time, so one a handler cannot take does not cost the rest of its batch.</summary>
    private sealed partial class Handler(string stream, Func<BusMessage, ulong, ValueTask> handler, Action caughtUp, ILogger logger) : ILiveStateHandler
    {
        public void RoundStarted()
        {
        }

        public async ValueTask HandleAsync(IReadOnlyList<StateMessage> batch, CancellationToken cancellationToken)
        {
            foreach (var message in batch)
            {
                try
                {
                    await handler(message.Message, message.StreamSequence).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    // One message a handler cannot take must not end the reading for good (nothing would restart it).
                    LogHandlerFailed(logger, stream, message.Subject, ex);
                }
            }
        }

        public void CaughtUp() => caughtUp();

        public void SeamClosed()
        {
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "A message of stream {Stream} on {Subject} could not be handled; skipped")]
        private static partial void LogHandlerFailed(ILogger logger, string stream, string subject, Exception exception);
    }
}
