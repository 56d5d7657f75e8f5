using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Beacon.Allocator.Controller;

/// <summary>
/// Publishes one piece of cluster configuration as the last value of its subject for one leadership term: the first
/// value of the term always, later values only when they differ, and the current value again after every (re)connect,
/// so a NATS that lost its storage gets it back. Stored with a JetStream acknowledgement (creating the streams first if
/// this term has not yet): a plain publish before the stream exists would be lost without a trace. A failed store is
/// retried with a growing pause until it succeeds, a newer value replaces it or the term ends; with the bus down, on the
/// next connect. Used for the BGP peer set and the LBNodeAgent set.
/// </summary>
/// <param name="describe">The value's size and names, for the log ("3 BGP peers", "router, r2").</param>
internal sealed class LastValuePublisher<T> : IDisposable
    where T : class
{
    private readonly IEventBus bus;
    private readonly EventType<T> type;
    private readonly string subject;
    private readonly Func<T, (int Count, string Names)> describe;
    private readonly string what;
    private readonly ILogger logger;
    private readonly JetStreamOptions streams;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private bool streamsEnsured;
    private T? wanted;
    private byte[]? wantedJson;
    private byte[]? published;

    public LastValuePublisher(
        IEventBus bus, EventType<T> type, string subject, Func<T, (int Count, string Names)> describe, string what, ILogger logger, JetStreamOptions? streams = null)
    {
        this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
        this.type = type ?? throw new ArgumentNullException(nameof(type));
        this.subject = subject ?? throw new ArgumentNullException(nameof(subject));
        this.describe = describe ?? throw new ArgumentNullException(nameof(describe));
        this.what = what ?? throw new ArgumentNullException(nameof(what));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.streams = streams ?? new JetStreamOptions();
        bus.StateChanged += OnStateChanged;
    }

    /// <summary>Publishes <paramref name="set"/> unless the same value is already published in this term.</summary>
    public async Task PublishAsync(T set, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        var json = JsonSerializer.SerializeToUtf8Bytes(set, type.TypeInfo);
        lock (gate)
        {
            wanted = set;
            wantedJson = json;
            if (published is not null && published.AsSpan().SequenceEqual(json))
            {
                return;
            }
        }

        await SendAsync(set, json, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        bus.StateChanged -= OnStateChanged;
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task SendAsync(T set, byte[] json, CancellationToken cancellationToken)
    {
        CancellationToken stop;
        try
        {
            stop = stopping.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            lock (gate)
            {
                if (!ReferenceEquals(wantedJson, json) || stop.IsCancellationRequested)
                {
                    return;
                }
            }

            try
            {
                if (!await StoreAsync(set, cancellationToken).ConfigureAwait(false))
                {
                    LastValuePublisherLog.PublishFailed(logger, describe(set).Count, what, "not connected; published again on connect");
                    return;
                }

                break;
            }
            catch (MessageTooLargeException e)
            {
                LastValuePublisherLog.PublishFailed(logger, describe(set).Count, what, e.Message);
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or EventBusUnavailableException or IOException)
            {
                if (attempt == 1)
                {
                    LastValuePublisherLog.PublishFailed(logger, describe(set).Count, what, e.Message + "; retrying");
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * attempt)), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        lock (gate)
        {
            // A newer set may have been sent meanwhile; only the one still wanted counts as published.
            if (ReferenceEquals(wantedJson, json))
            {
                published = json;
            }
        }

        var (count, names) = describe(set);
        LastValuePublisherLog.Published(logger, count, what, names);
    }

    /// <summary>Stores the set and waits for JetStream's acknowledgement; false when not connected.</summary>
    private async Task<bool> StoreAsync(T set, CancellationToken cancellationToken)
    {
        var payload = CloudEventCodec.Encode(type, set, EventSources.Allocator);
        if (bus is not NatsEventBus nats)
        {
            return await bus.PublishAsync(subject, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (bus.State != BusConnectionState.Connected)
        {
            return false;
        }

        if (!Volatile.Read(ref streamsEnsured))
        {
            await StreamProvisioner.EnsureAsync(nats.JetStream, streams, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref streamsEnsured, true);
        }

        var ack = await nats.JetStream.PublishAsync(subject, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        ack.EnsureSuccess();
        return true;
    }

    private void OnStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is not (BusStateChange.Connected or BusStateChange.Reconnected))
        {
            return;
        }

        T? set;
        byte[]? json;
        lock (gate)
        {
            published = null;
            set = wanted;
            json = wantedJson;
        }

        if (set is not null && json is not null)
        {
            _ = SendAsync(set, json, CancellationToken.None);
        }
    }
}
