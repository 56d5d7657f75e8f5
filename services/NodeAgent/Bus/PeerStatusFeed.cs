using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Bus;

/// <summary>
/// Follows every peer's node status live (a core subscription on <c>beacon.v1.nodes.*.status</c>: statuses go out only
/// after bursts of announcements and on (re)connects, so at idle this costs nothing) and tells <see cref="IAddressReleases"/>
/// which addresses a peer just let go (<see cref="ReleasedAddresses"/>). The handler runs on the subscription's own task,
/// not on the connection's read loop, so decoding a large status never holds back heartbeats. A status whose payload
/// node differs from its subject's is forged and dropped (counted by the reporter).
/// </summary>
public sealed class PeerStatusFeed : IAsyncDisposable
{
    private readonly ReleasedAddresses _released;
    private readonly IAddressReleases _releases;
    private readonly Lock _gate = new();
    private IAsyncDisposable? _subscription;

    private PeerStatusFeed(string self, IAddressReleases releases)
    {
        _released = new ReleasedAddresses(self);
        _releases = releases;
    }

    /// <summary>Subscribes; returns once the server has the subscription (or at once while the bus is not connected yet).</summary>
    public static async Task<PeerStatusFeed> StartAsync(IEventBus bus, string self, IAddressReleases releases, DroppedMessageReporter dropped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(releases);
        var feed = new PeerStatusFeed(self, releases);
        feed._subscription = await bus.SubscribeEventsAsync(
            Subjects.AllNodeStatuses,
            EventTypes.NodeStatus,
            (status, _, _) =>
            {
                feed.Reported(status);
                return ValueTask.CompletedTask;
            },
            dropped,
            (message, status) => Subjects.TryParseNodeStatus(message.Subject, out var node) && node == status.Node
                ? null
                : new DecodeError(DecodeErrorKind.SubjectMismatch, $"status of node '{status.Node}' arrived on {message.Subject}"),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return feed;
    }

    /// <summary>Peers whose status has been read (diagnostics and tests: the feed has caught up with them).</summary>
    public int Peers
    {
        get
        {
            lock (_gate)
            {
                return _released.Peers;
            }
        }
    }

    /// <summary>The statuses stored before this agent started (see <see cref="ReleasedAddresses.Seed"/>).</summary>
    public void Seed(IReadOnlyList<NodeStatusReport> statuses)
    {
        lock (_gate)
        {
            _released.Seed(statuses);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Reported(NodeStatusReport status)
    {
        IReadOnlyList<System.Net.IPAddress> released;
        lock (_gate)
        {
            released = _released.Reported(status);
        }

        if (released.Count > 0)
        {
            _releases.Released(status.Node, released);
        }
    }
}
