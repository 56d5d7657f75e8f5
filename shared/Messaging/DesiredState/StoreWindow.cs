using System.Threading.Channels;
using Beacon.Contracts;
using NATS.Client.Core;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// Keeps up to <c>size</c> stored publishes in flight instead of waiting for each acknowledgement. Messages go out in
/// the order <see cref="SendAsync"/> is called (callers serialise it), on one connection, so JetStream stores them in
/// that order and a later change of a Service never overtakes an earlier one. Acks are checked oldest first, each
/// within its own deadline; a refused or missing ack is reported through <c>failed</c>, and the caller then stores the
/// Service's <em>current</em> value again, after everything already sent: a retry can never bring back an older value.
/// Disposal waits at most one ack timeout, then abandons what is left: it never hangs on a server that went away.
/// </summary>
internal sealed class StoreWindow : IAsyncDisposable
{
    private readonly Func<string, byte[], CancellationToken, ValueTask<IPendingStore>> _send;
    private readonly int _size;
    private readonly TimeSpan _ackTimeout;
    private readonly Action<ServiceKey, ulong> _stored;
    private readonly Action<ServiceKey, string> _failed;
    private readonly SemaphoreSlim _slots;
    private readonly Channel<Entry> _pending = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task _acks;
    private int _inFlight;

    private static readonly TimeSpan LateAckGrace = TimeSpan.FromMilliseconds(50);

    /// <param name="send">Puts one message on the wire and returns its pending ack.</param>
    /// <param name="stored">Called, in send order, with each stored message's stream sequence.</param>
    /// <param name="failed">Called, in send order, for each message not known to be stored.</param>
    public StoreWindow(
        Func<string, byte[], CancellationToken, ValueTask<IPendingStore>> send,
        int size,
        TimeSpan ackTimeout,
        Action<ServiceKey, ulong> stored,
        Action<ServiceKey, string> failed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _send = send;
        _size = size;
        _ackTimeout = ackTimeout;
        _stored = stored;
        _failed = failed;
        _slots = new SemaphoreSlim(size, size);
        _acks = Task.Run(CheckAcksAsync);
    }

    /// <summary>Messages sent whose ack has not been checked yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Sends one message once a slot is free. False when it could not be sent (the caller keeps the Service for repair);
    /// true means sent, its outcome comes later through <c>stored</c> or <c>failed</c>.
    /// </summary>
    public async ValueTask<bool> SendAsync(ServiceKey service, string subject, byte[] payload, CancellationToken cancellationToken)
    {
        // A full window waits for the oldest ack, which is bounded by its deadline.
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        IPendingStore pending;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_ackTimeout);
            pending = await _send(subject, payload, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _slots.Release();
            return false;
        }
        catch
        {
            _slots.Release();
            throw;
        }

        Interlocked.Increment(ref _inFlight);
        if (!_pending.Writer.TryWrite(new Entry(service, pending, DateTime.UtcNow + _ackTimeout)))
        {
            // Disposed meanwhile: nobody will check this ack.
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
            Observe(ReleaseAsync(pending));
            return false;
        }

        return true;
    }

    /// <summary>Completes when every message sent so far has been acked or reported failed (callers stop sending meanwhile).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var taken = 0;
        try
        {
            for (; taken < _size; taken++)
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (taken > 0)
            {
                _slots.Release(taken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        // Every entry has a deadline at most one ack timeout away, so this normally ends by itself; the extra second
        // covers a pending ack that ignores cancellation.
        if (await Task.WhenAny(_acks, Task.Delay(_ackTimeout + TimeSpan.FromSeconds(1))).ConfigureAwait(false) != _acks)
        {
            await _abandon.CancelAsync().ConfigureAwait(false);
            if (await Task.WhenAny(_acks, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false) != _acks)
            {
                // Still stuck in a pending ack that ignores cancellation: leave the loop to end on its own (it only
                // touches this window) rather than hang the caller's shutdown.
                return;
            }
        }

        await _acks.ConfigureAwait(false);
        _abandon.Dispose();
        _slots.Dispose();
    }

    /// <summary>
    /// Checks the acks oldest first. Nothing here may wait for NATS beyond an entry's deadline: the publisher's stream
    /// check and every change wait for these slots, so one ack (or one unsubscribe) that never completes after a server
    /// died would stop the Allocator from storing anything ever again. Each outcome is reported and its slot given back
    /// before the pending ack is released, and that release runs on its own, never awaited here.
    /// </summary>
    private async Task CheckAcksAsync()
    {
        await foreach (var entry in _pending.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            string? error = null;
            ulong sequence = 0;
            try
            {
                // An ack checked late (this loop starved of CPU) may already be there: give it a moment before failing it.
                var left = entry.Deadline - DateTime.UtcNow;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
                timeout.CancelAfter(left > LateAckGrace ? left : LateAckGrace);
                var acked = entry.Pending.AckedAsync(timeout.Token).AsTask();
                try
                {
                    // WaitAsync: the deadline holds even when the pending ack ignores cancellation.
                    sequence = await acked.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Observe(acked);
                    throw;
                }
            }
            catch (OperationCanceledException)
            {
                error = "no acknowledgement within " + _ackTimeout.TotalSeconds + " s";
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // NatsException (refused, no responders, connection gone) or anything else: not known to be stored.
                error = ex.Message;
            }

            try
            {
                if (error is null)
                {
                    _stored(entry.Service, sequence);
                }
                else
                {
                    _failed(entry.Service, error);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A callback that throws must not end this loop (and with it every later store).
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                _slots.Release();
            }

            Observe(ReleaseAsync(entry.Pending));
        }
    }

    /// <summary>Releases a pending ack (an unsubscribe, which may wait for a connection that is gone), ignoring failures.</summary>
    private static async Task ReleaseAsync(IPendingStore pending)
    {
        try
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing to do: the store's outcome has been reported already.
        }
    }

    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private sealed record Entry(ServiceKey Service, IPendingStore Pending, DateTime Deadline);
}
