using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Beacon.Allocator.Peers;

/// <summary>
/// Publishes the cluster's BGP peers as one last value on <c>beacon.v1.bgp.peers</c> (stored by BEACON_BGP_PEERS) for
/// one leadership term: the first set of the term always, later sets only when they differ, and the current set again
/// after every (re)connect, so a NATS that lost its storage gets it back. Nodes run the sessions from it, independent
/// of Services. The set is stored with a JetStream acknowledgement (creating the streams first if this term has not
/// yet): a plain publish before the stream exists would be lost without a trace. A failed store is retried with a
/// growing pause until it succeeds, a newer set replaces it or the term ends; with the bus down, on the next connect.
/// </summary>
internal sealed partial class BgpPeerPublisher : IDisposable
{
    private readonly IEventBus bus;
    private readonly ILogger logger;
    private readonly JetStreamOptions streams;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private bool streamsEnsured;
    private BgpPeerSet? wanted;
    private byte[]? wantedJson;
    private byte[]? published;

    public BgpPeerPublisher(IEventBus bus, ILogger logger, JetStreamOptions? streams = null)
    {
        this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.streams = streams ?? new JetStreamOptions();
        bus.StateChanged += OnStateChanged;
    }

    /// <summary>Publishes <paramref name="peers"/> unless the same set is already published in this term.</summary>
    public async Task PublishAsync(IReadOnlyList<BgpPeerConfig> peers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var set = new BgpPeerSet([.. peers.OrderBy(p => p.Name, StringComparer.Ordinal)]);
        var json = JsonSerializer.SerializeToUtf8Bytes(set, ContractsJsonContext.Default.BgpPeerSet);
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

    private async Task SendAsync(BgpPeerSet set, byte[] json, CancellationToken cancellationToken)
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
                    LogPublishFailed(logger, set.Peers.Count, "not connected; published again on connect");
                    return;
                }

                break;
            }
            catch (MessageTooLargeException e)
            {
                LogPublishFailed(logger, set.Peers.Count, e.Message);
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or EventBusUnavailableException or IOException)
            {
                if (attempt == 1)
                {
                    LogPublishFailed(logger, set.Peers.Count, e.Message + "; retrying");
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

        LogPublished(logger, set.Peers.Count, string.Join(", ", set.Peers.Select(p => p.Name)));
    }

    /// <summary>Stores the set and waits for JetStream's acknowledgement; false when not connected.</summary>
    private async Task<bool> StoreAsync(BgpPeerSet set, CancellationToken cancellationToken)
    {
        var payload = CloudEventCodec.Encode(EventTypes.BgpPeers, set, EventSources.Allocator);
        if (bus is not NatsEventBus nats)
        {
            return await bus.PublishAsync(Subjects.BgpPeers, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
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

        var ack = await nats.JetStream.PublishAsync(Subjects.BgpPeers, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        ack.EnsureSuccess();
        return true;
    }

    private void OnStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is not (BusStateChange.Connected or BusStateChange.Reconnected))
        {
            return;
        }

        BgpPeerSet? set;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} BGP peers for the nodes: {Peers}")]
    private static partial void LogPublished(ILogger logger, int count, string peers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the {Count} BGP peers: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, int count, string reason);
}
