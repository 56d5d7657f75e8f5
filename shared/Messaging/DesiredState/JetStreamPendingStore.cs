using NATS.Client.JetStream;

namespace Beacon.Messaging.DesiredState;

/// <summary>A JetStream publish sent with <see cref="INatsJSContext.PublishConcurrentAsync{T}"/>, its ack still to come.</summary>
internal sealed class JetStreamPendingStore(NatsJSPublishConcurrentFuture future) : IPendingStore
{
    public static async ValueTask<IPendingStore> SendAsync(INatsJSContext jetStream, string subject, byte[] payload, CancellationToken cancellationToken)
    {
        var future = await jetStream.PublishConcurrentAsync(subject, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JetStreamPendingStore(future);
    }

    public async ValueTask<ulong> AckedAsync(CancellationToken cancellationToken)
    {
        var ack = await future.GetResponseAsync(cancellationToken).ConfigureAwait(false);
        ack.EnsureSuccess();
        return ack.Seq;
    }

    public ValueTask DisposeAsync() => future.DisposeAsync();
}
