using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Beacon.Allocator.NodeAgents;

/// <summary>
/// Publishes every accepted LBNodeAgent as one last value on <c>beacon.v1.nodeagent.config</c> (stored by
/// BEACON_NODEAGENT_CONFIG) for one leadership term, exactly as <see cref="Peers.BgpPeerPublisher"/> does for the peer
/// set: the first set of the term always, later sets only when they differ, the current set again after every
/// (re)connect; stored with a JetStream acknowledgement (streams created first), a failed store retried with a growing
/// pause until it succeeds, a newer set replaces it or the term ends. Node agents apply it (docs/servicegroups.md).
/// </summary>
internal sealed partial class NodeAgentConfigPublisher : IDisposable
{
    private readonly IEventBus bus;
    private readonly ILogger logger;
    private readonly JetStreamOptions streams;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private bool streamsEnsured;
    private NodeAgentConfigSet? wanted;
    private byte[]? wantedJson;
    private byte[]? published;

    public NodeAgentConfigPublisher(IEventBus bus, ILogger logger, JetStreamOptions? streams = null)
    {
        this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.streams = streams ?? new JetStreamOptions();
        bus.StateChanged += OnStateChanged;
    }

    /// <summary>Publishes <paramref name="agents"/> unless the same set is already published in this term.</summary>
    public async Task PublishAsync(IReadOnlyList<NodeAgentConfig> agents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var set = new NodeAgentConfigSet([.. agents.OrderBy(p => p.Name, StringComparer.Ordinal)]);
        var json = JsonSerializer.SerializeToUtf8Bytes(set, ContractsJsonContext.Default.NodeAgentConfigSet);
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

    private async Task SendAsync(NodeAgentConfigSet set, byte[] json, CancellationToken cancellationToken)
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
                    LogPublishFailed(logger, set.Agents.Count, "not connected; published again on connect");
                    return;
                }

                break;
            }
            catch (MessageTooLargeException e)
            {
                LogPublishFailed(logger, set.Agents.Count, e.Message);
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or EventBusUnavailableException or IOException)
            {
                if (attempt == 1)
                {
                    LogPublishFailed(logger, set.Agents.Count, e.Message + "; retrying");
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

        LogPublished(logger, set.Agents.Count, string.Join(", ", set.Agents.Select(a => a.Name)));
    }

    /// <summary>Stores the set and waits for JetStream's acknowledgement; false when not connected.</summary>
    private async Task<bool> StoreAsync(NodeAgentConfigSet set, CancellationToken cancellationToken)
    {
        var payload = CloudEventCodec.Encode(EventTypes.NodeAgentConfig, set, EventSources.Allocator);
        if (bus is not NatsEventBus nats)
        {
            return await bus.PublishAsync(Subjects.NodeAgentConfig, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
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

        var ack = await nats.JetStream.PublishAsync(Subjects.NodeAgentConfig, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        ack.EnsureSuccess();
        return true;
    }

    private void OnStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is not (BusStateChange.Connected or BusStateChange.Reconnected))
        {
            return;
        }

        NodeAgentConfigSet? set;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} LBNodeAgent settings for the node agents: {Agents}")]
    private static partial void LogPublished(ILogger logger, int count, string agents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the {Count} LBNodeAgent settings: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, int count, string reason);
}
