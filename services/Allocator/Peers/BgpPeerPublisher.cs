using Beacon.Allocator.Controller;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Peers;

/// <summary>
/// Publishes the cluster's BGP peers as one last value on <c>beacon.v1.bgp.peers</c> (stored by BEACON_BGP_PEERS) for
/// one leadership term (<see cref="LastValuePublisher{T}"/>: the first set of the term always, later sets only when they
/// differ, again after every (re)connect, stored with a JetStream acknowledgement and retried until stored). Nodes run
/// the sessions from it, independent of Services.
/// </summary>
internal sealed class BgpPeerPublisher(IEventBus bus, ILogger logger, JetStreamOptions? streams = null) : IDisposable
{
    private readonly LastValuePublisher<BgpPeerSet> publisher = new(
        bus, EventTypes.BgpPeers, Subjects.BgpPeers, set => (set.Peers.Count, string.Join(", ", set.Peers.Select(p => p.Name))), "BGP peers", logger, streams);

    /// <summary>Publishes <paramref name="peers"/> unless the same set is already published in this term.</summary>
    public Task PublishAsync(IReadOnlyList<BgpPeerConfig> peers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peers);
        return publisher.PublishAsync(new BgpPeerSet([.. peers.OrderBy(p => p.Name, StringComparer.Ordinal)]), cancellationToken);
    }

    public void Dispose() => publisher.Dispose();
}
