using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Peers;

/// <summary>
/// Publishes the cluster's BGP peers as one last value on <c>beacon.v1.bgp.peers</c> (stored by BEACON_BGP_PEERS) for
/// one leadership term: the first set of the term always, later sets only when they differ, and the current set again
/// after every (re)connect, so a NATS that lost its storage gets it back. Nodes run the sessions from it, independent
/// of Services. A publish that fails (bus down) is retried on the next connect.
/// </summary>
internal sealed partial class BgpPeerPublisher : IDisposable
{
    private readonly IEventBus bus;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private BgpPeerSet? wanted;
    private byte[]? wantedJson;
    private byte[]? published;

    public BgpPeerPublisher(IEventBus bus, ILogger logger)
    {
        this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
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

    public void Dispose() => bus.StateChanged -= OnStateChanged;

    private async Task SendAsync(BgpPeerSet set, byte[] json, CancellationToken cancellationToken)
    {
        bool sent;
        try
        {
            sent = await bus.PublishEventAsync(Subjects.BgpPeers, EventTypes.BgpPeers, set, EventSources.Allocator, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is MessageTooLargeException or EventBusUnavailableException or IOException)
        {
            LogPublishFailed(logger, set.Peers.Count, e.Message);
            return;
        }

        if (!sent)
        {
            LogPublishFailed(logger, set.Peers.Count, "not connected; published again on connect");
            return;
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
