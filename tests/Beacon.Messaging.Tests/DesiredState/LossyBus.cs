using Beacon.Messaging;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>Wraps a real bus and loses chosen incoming messages, the way a slow consumer or a network blip would.</summary>
internal sealed class LossyBus(IEventBus inner, Func<BusMessage, bool> lose) : IEventBus
{
    public BusConnectionState State => inner.State;

    public event EventHandler<BusStateChangedEventArgs>? StateChanged
    {
        add => inner.StateChanged += value;
        remove => inner.StateChanged -= value;
    }

    public Task ConnectAsync(CancellationToken cancellationToken = default) => inner.ConnectAsync(cancellationToken);

    public ValueTask<bool> PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default) =>
        inner.PublishAsync(subject, payload, replyTo, cancellationToken);

    public ValueTask<IAsyncDisposable> SubscribeAsync(string subject, Func<BusMessage, CancellationToken, ValueTask> handler, string? queueGroup = null, CancellationToken cancellationToken = default) =>
        inner.SubscribeAsync(subject, (m, ct) => lose(m) ? ValueTask.CompletedTask : handler(m, ct), queueGroup, cancellationToken);

    public Task<BusMessage> RequestAsync(string subject, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.RequestAsync(subject, payload, timeout, cancellationToken);

    public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => inner.FlushAsync(timeout, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
