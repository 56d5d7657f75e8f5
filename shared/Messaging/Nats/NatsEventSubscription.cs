using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Beacon.Messaging.Nats;

/// <summary>
/// One core subscription: the library keeps it across reconnects; this task hands its messages to the handler one at a
/// time, in order. Created while disconnected, it registers as soon as the connection opens.
/// </summary>
internal sealed partial class NatsEventSubscription : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<BusMessage, CancellationToken, ValueTask> _handler;
    private readonly NatsOptions _options;
    private readonly MessagingCounters _counters;
    private readonly ILogger _logger;
    private readonly Task _pump;
    private readonly Func<CancellationToken, Task> _connectedAsync;

    public NatsEventSubscription(
        INatsConnection connection,
        Func<CancellationToken, Task> connected,
        string subject,
        string? queueGroup,
        Func<BusMessage, CancellationToken, ValueTask> handler,
        NatsOptions options,
        MessagingCounters counters,
        ILogger logger)
    {
        _handler = handler;
        _options = options;
        _counters = counters;
        _logger = logger;
        _connectedAsync = connected;
        _pump = Task.Run(() => PumpAsync(connection, subject, queueGroup, _stopping.Token));
    }

    /// <summary>Completes once the server has been sent the subscription.</summary>
    public Task Registered => _registered.Task;

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PumpAsync(INatsConnection connection, string subject, string? queueGroup, CancellationToken cancellationToken)
    {
        try
        {
            var opts = new NatsSubOpts
            {
                ChannelOpts = new NatsSubChannelOpts { Capacity = _options.SubscriptionCapacity, FullMode = System.Threading.Channels.BoundedChannelFullMode.DropNewest },
            };

            // The library would try (and fail) a connection of its own for a subscription made before the first
            // connect; wait for ours instead. Once subscribed, the library keeps the subscription across reconnects.
            INatsSub<byte[]> subscription;
            while (true)
            {
                try
                {
                    await _connectedAsync(cancellationToken).ConfigureAwait(false);
                    subscription = await connection.SubscribeCoreAsync<byte[]>(subject, queueGroup, opts: opts, cancellationToken: cancellationToken)
                        .ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (ex is NatsException or EventBusUnavailableException && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                }
            }

            await using var owned = subscription.ConfigureAwait(false);
            _registered.TrySetResult();
            await foreach (var message in subscription.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _counters.Increment(MessagingCounter.Received);
                var payload = message.Data ?? [];
                if (payload.Length > _options.MaxMessageBytes)
                {
                    _counters.Dropped(Contracts.DecodeErrorKind.TooLarge);
                    continue;
                }

                try
                {
                    await _handler(new BusMessage(message.Subject, message.ReplyTo, payload), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _counters.Increment(MessagingCounter.HandlerFailed);
                    LogHandlerFailed(_logger, ex, subject);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or EventBusUnavailableException && cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The connection closed under us: the bus is shutting down.
        }
        finally
        {
            _registered.TrySetCanceled(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler for {Subject} failed; the subscription continues")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string subject);
}
