namespace Beacon.Messaging;

/// <summary>
/// The message bus as Beacon uses it: fire-and-forget publish, subscribe, request/reply, and connection state.
/// The only implementation is <see cref="Nats.NatsEventBus"/>; nothing else in the suite depends on NATS types.
/// </summary>
public interface IEventBus : IAsyncDisposable
{
    BusConnectionState State { get; }

    /// <summary>Raised on Connected / Disconnected / Reconnected / Closed, from the connection's own task; keep handlers short.</summary>
    event EventHandler<BusStateChangedEventArgs>? StateChanged;

    /// <summary>Starts connecting (idempotent; reconnects forever) and waits until connected.</summary>
    /// <exception cref="EventBusUnavailableException">Cancelled before a connection was made; carries the last connection error.</exception>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Hands the message to the connection. Returns false (and counts it) when not connected: nothing is queued for later.</summary>
    /// <exception cref="MessageTooLargeException">The payload exceeds the configured or server limit.</exception>
    /// <exception cref="ArgumentException">The subject is not a valid publish subject.</exception>
    ValueTask<bool> PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes (wildcards allowed). The handler runs on the subscription's own task, one message at a time, in order.
    /// Survives reconnects. When connected, returns once the server has the subscription. Dispose to unsubscribe.
    /// </summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(
        string subject,
        Func<BusMessage, CancellationToken, ValueTask> handler,
        string? queueGroup = null,
        CancellationToken cancellationToken = default);

    /// <summary>Publishes with a private reply subject and waits for the first reply.</summary>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="EventBusUnavailableException">Not connected, or the connection dropped while waiting.</exception>
    Task<BusMessage> RequestAsync(string subject, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Round-trips to the server: everything published before has reached it. False when not connected or timed out.</summary>
    Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
