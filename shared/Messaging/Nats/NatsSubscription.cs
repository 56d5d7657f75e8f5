using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Beacon.Messaging.Nats;

/// <summary>
/// One subscription: the read loop drops messages into a bounded queue and a pump task runs the handler, so a slow
/// handler never stalls the connection (when the queue is full, messages are dropped and counted).
/// </summary>
internal sealed partial class NatsSubscription : IAsyncDisposable
{
    private static readonly AsyncLocal<NatsSubscription?> CurrentPump = new();
    private readonly Channel<BusMessage> _queue;
    private readonly Func<BusMessage, CancellationToken, ValueTask> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<long> _unsubscribe;
    private readonly ILogger _logger;
    private readonly MessagingCounters _counters;
    private readonly Task _pump;
    private int _disposed;
    private int _slowLogged;

    public NatsSubscription(
        long sid,
        string subject,
        string? queueGroup,
        Func<BusMessage, CancellationToken, ValueTask> handler,
        int capacity,
        Action<long> unsubscribe,
        ILogger logger,
        MessagingCounters counters)
    {
        Sid = sid;
        Subject = subject;
        QueueGroup = queueGroup;
        _handler = handler;
        _unsubscribe = unsubscribe;
        _logger = logger;
        _counters = counters;
        _queue = Channel.CreateBounded<BusMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pump = Task.Run(PumpAsync);
    }

    public long Sid { get; }

    public string Subject { get; }

    public string? QueueGroup { get; }

    public void Deliver(BusMessage message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            return;
        }

        _counters.Increment(MessagingCounter.SlowConsumerDropped);
        if (Interlocked.Exchange(ref _slowLogged, 1) == 0)
        {
            LogSlowConsumer(_logger, Subject);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _unsubscribe(Sid);
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();

        // Disposing from inside our own handler must not wait for the handler to finish.
        if (!ReferenceEquals(CurrentPump.Value, this))
        {
            await _pump.ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    private async Task PumpAsync()
    {
        CurrentPump.Value = this;
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await _handler(message, _stopping.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _counters.Increment(MessagingCounter.HandlerFailed);
                    LogHandlerFailed(_logger, ex, message.Subject);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Subject} cannot keep up; dropping messages (counted as slow_consumer_dropped)")]
    private static partial void LogSlowConsumer(ILogger logger, string subject);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for a message on {Subject} failed; the message is dropped")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string subject);
}
