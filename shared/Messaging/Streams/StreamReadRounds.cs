using Beacon.Messaging.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Runs a stream reader's rounds until disposed: each round connects and reads; <see cref="Restart"/> ends the current
/// round and starts a new one; a round that fails (stream missing, server gone) is tried again after a growing pause.
/// Beacon's stream readers start over the same way; only what a round reads differs.
/// </summary>
internal sealed partial class StreamReadRounds : IAsyncDisposable
{
    private readonly NatsEventBus _bus;
    private readonly string _stream;
    private readonly Func<CancellationToken, Task> _readRound;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource _round = new();
    private Task? _loop;

    public StreamReadRounds(NatsEventBus bus, string stream, Func<CancellationToken, Task> readRound, ILogger logger)
    {
        _bus = bus;
        _stream = stream;
        _readRound = readRound;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Ends the current round; the next one starts at once.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _round.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Restart();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _round.Dispose();
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
                await _readRound(linked.Token).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read stream {Stream} yet: {Error}; retrying (the state held so far stays in force)")]
    private static partial void LogReadFailed(ILogger logger, string stream, string error);
}
