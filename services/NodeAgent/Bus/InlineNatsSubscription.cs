using System.Buffers;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using NATS.Client.Core;

namespace Beacon.NodeAgent.Bus;

/// <summary>Handles one message's subject and payload; the payload is valid only during the call.</summary>
public delegate void InlineMessageHandler(string subject, ReadOnlySpan<byte> payload);

/// <summary>
/// A core NATS subscription whose handler runs on the connection's read loop, on the library's own buffer: no copy of
/// the payload, no channel, no task woken per message. For the heartbeats (tens a second, each handled in microseconds)
/// the usual path (<see cref="IEventBus.SubscribeAsync"/>: copy, channel, a pump task on the thread pool) cost more
/// wake-ups and thread hops than the work (issue #15: idle CPU). The handler must be quick and must not block: every
/// other message of the connection waits for it. Like the bus's own subscriptions it waits for the first connection
/// and the library keeps it across reconnects.
/// </summary>
public sealed class InlineNatsSubscription : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task<Sub?> _subscribing;

    private InlineNatsSubscription(NatsEventBus bus, string subject, InlineMessageHandler handler) =>
        _subscribing = SubscribeWhenConnectedAsync(bus, subject, handler, _stopping.Token);

    /// <summary>Subscribes; returns once the server has the subscription, or at once while the bus is not connected yet.</summary>
    public static async Task<InlineNatsSubscription> StartAsync(NatsEventBus bus, string subject, InlineMessageHandler handler, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new InlineNatsSubscription(bus, subject, handler);
        if (bus.State == BusConnectionState.Connected)
        {
            try
            {
                await subscription._subscribing.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                await bus.FlushAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Still subscribing (a slow server), or the connection dropped meanwhile: the subscription completes in the
                // background and the library renews it on reconnect, like the bus's own subscriptions.
            }
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            if (await _subscribing.ConfigureAwait(false) is { } sub)
            {
                await sub.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private static async Task<Sub?> SubscribeWhenConnectedAsync(NatsEventBus bus, string subject, InlineMessageHandler handler, CancellationToken cancellationToken)
    {
        await Task.Yield(); // never subscribe on the caller's stack
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await bus.ConnectAsync(cancellationToken).ConfigureAwait(false);
                var connection = bus.Connection;
                var sub = new Sub(connection, subject, handler, bus.Counters, cancellationToken);
                await connection.AddSubAsync(sub, cancellationToken).ConfigureAwait(false);
                return sub;
            }
            catch (Exception ex) when (ex is NatsException or EventBusUnavailableException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or EventBusUnavailableException or ObjectDisposedException)
            {
                return null; // stopping, or the bus closed under us
            }
        }

        return null;
    }

    private sealed class Sub(INatsConnection connection, string subject, InlineMessageHandler handler, MessagingCounters counters, CancellationToken cancellationToken)
        : NatsSubBase(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null, cancellationToken)
    {
        protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
        {
            counters.Increment(MessagingCounter.Received);
            try
            {
                if (payloadBuffer.IsSingleSegment)
                {
                    handler(subject, payloadBuffer.FirstSpan);
                }
                else
                {
                    handler(subject, payloadBuffer.ToArray()); // spans a buffer boundary: rare, copied
                }
            }
#pragma warning disable CA1031 // A failing handler must not reach the connection's read loop; counted like the bus's own.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                counters.Increment(MessagingCounter.HandlerFailed);
            }

            return ValueTask.CompletedTask;
        }

        protected override void TryComplete()
        {
            // Nothing buffered: every message was handled as it arrived.
        }
    }
}
