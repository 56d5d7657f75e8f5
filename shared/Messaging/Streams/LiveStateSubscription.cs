using System.Buffers;
using System.Threading.Channels;
using NATS.Client.Core;

namespace Beacon.Messaging.Streams;

/// <summary>
/// A core subscription for a stream's live messages that keeps what arrives as raw bytes: NATS.Net's read loop calls
/// <see cref="ReceiveInternalAsync"/>, which copies the payload into a shared chunk and appends (subject, bytes) to a
/// list, without the <c>NatsMsg</c>, the bounded channel and the reader continuation <c>NatsSub&lt;T&gt;</c> costs per
/// message. The reader is woken once per batch (when the list goes from empty to not), takes the whole list at once
/// (<see cref="TakeAsync"/>) and hands it over; meanwhile the read loop fills the other list.
/// <para>
/// Back-pressure: the read loop never waits for the reader. A replica that falls behind by more than
/// <c>capacity</c> messages loses the next one, so the subscription reports a gap (once, on the thread pool, not on the
/// read loop) and its owner reads the stream again: the connection's other subscriptions (heartbeats) never stall
/// behind a slow replica, and a lost message is never silent. This is the same policy as the <c>NatsSub</c> with
/// <c>DropNewest</c> it replaces, minus the per-message objects.
/// </para>
/// <para>
/// Payload chunks are reused from the subscription's own <see cref="ChunkShelf"/> while messages keep coming, and let
/// go of once the reader has waited <see cref="IdleRelease"/> for the next one: a burst allocates no
/// chunk per take, and an idle replica holds none.
/// </para>
/// </summary>
internal sealed class LiveStateSubscription : NatsSubBase
{
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly Action _gap;
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ChunkShelf _shelf = new();
    private LiveMessages _filling;
    private bool _gapReported;

    /// <summary>How long the reader waits for more messages before the shelf lets go of its chunks.</summary>
    internal static readonly TimeSpan IdleRelease = TimeSpan.FromMilliseconds(100);

    private LiveStateSubscription(INatsConnection connection, string subject, int capacity, Action gap)
        : base(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null)
    {
        _capacity = capacity;
        _gap = gap;
        _filling = new LiveMessages(_shelf);
    }

    /// <summary>A list to hand to <see cref="TakeAsync"/> as its first spare.</summary>
    public LiveMessages NewMessages() => new(_shelf);

    /// <summary>Chunks kept for reuse (tests: none once idle).</summary>
    internal int ShelvedChunks => _shelf.Count;

    /// <summary>Lets go of the reused chunks (the reader is done with every payload).</summary>
    public void ReleaseChunks() => _shelf.Release();

    /// <summary>Subscribes; <paramref name="gap"/> is called (on the thread pool) the first time a message is lost.</summary>
    public static async Task<LiveStateSubscription> SubscribeAsync(INatsConnection connection, string subject, int capacity, Action gap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var sub = new LiveStateSubscription(connection, subject, capacity, gap);
        await connection.AddSubAsync(sub, cancellationToken).ConfigureAwait(false);
        return sub;
    }

    /// <summary>Messages received and not yet taken.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _filling.Count;
            }
        }
    }

    /// <summary>
    /// Waits until at least one message is pending, then takes every pending message: <paramref name="spare"/> (emptied)
    /// becomes the list the read loop fills next, and the list returned is the reader's until it gives it back. Null once
    /// the subscription has ended (unsubscribed, connection disposed) with nothing pending.
    /// </summary>
    public async ValueTask<LiveMessages?> TakeAsync(LiveMessages spare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spare);
        spare.Clear();
        while (true)
        {
            lock (_gate)
            {
                if (_filling.Count > 0)
                {
                    var taken = _filling;
                    _filling = spare;
                    return taken;
                }
            }

            var ring = _doorbell.Reader.WaitToReadAsync(cancellationToken);
            if (!ring.IsCompleted && _shelf.Count > 0)
            {
                // The burst may be over: after a quiet spell the chunks go back, and the wait goes on without a timer.
                var rang = ring.AsTask();
                if (await Task.WhenAny(rang, Task.Delay(IdleRelease, cancellationToken)).ConfigureAwait(false) != rang)
                {
                    _shelf.Release();
                }

                ring = new ValueTask<bool>(rang);
            }

            if (!await ring.ConfigureAwait(false))
            {
                return null;
            }

            _doorbell.Reader.TryRead(out _);
        }
    }

    protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
    {
        bool ring;
        var lost = false;
        lock (_gate)
        {
            if (_filling.Count >= _capacity)
            {
                lost = !_gapReported;
                _gapReported = true;
                ring = false;
            }
            else
            {
                _filling.Add(subject, payloadBuffer);
                ring = _filling.Count == 1;
            }
        }

        if (ring)
        {
            _doorbell.Writer.TryWrite(true);
        }

        if (lost)
        {
            // Not on the read loop: the owner cancels and disposes this subscription in response.
            ThreadPool.UnsafeQueueUserWorkItem(static gap => gap(), _gap, preferLocal: false);
        }

        return ValueTask.CompletedTask;
    }

    protected override void TryComplete() => _doorbell.Writer.TryComplete();
}
