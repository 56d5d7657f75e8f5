using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Bus;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// Builds this node's heartbeat from the agent state and publishes it: fast, on
/// <c>beacon.v1.nodes.&lt;node&gt;.heartbeat.&lt;scope&gt;</c> for the peers of each of our subnets (election), and slowly on
/// <c>beacon.v1.nodes.&lt;node&gt;.heartbeat</c> for the Allocator, beaconctl and integrators (liveness across the cluster).
/// </summary>
public sealed class HeartbeatPublisher(IEventBus bus, AgentState state, IReadOnlyDictionary<string, string> labels)
{
    private readonly string _livenessSubject = Subjects.Heartbeat(state.Self.Name);
    private readonly string _source = BusAnnouncementSink.EventSource(state.Self.Name);
    private readonly Dictionary<string, string> _scopeSubjects = new(StringComparer.Ordinal);
    private (NodeHeartbeat Heartbeat, byte[] Bytes)? _template;
    private (IReadOnlyList<System.Net.IPNetwork>? Subnets, string[] Texts) _subnetTexts = (null, []);

    public NodeHeartbeat Build(TimeSpan now, bool leaving)
    {
        var link = state.Link;
        var subnets = state.ElectionSubnets(now);
        // At steady state the same list (the link's own) every beat: its texts are formatted once, not 20 times a second.
        if (!ReferenceEquals(subnets, _subnetTexts.Subnets))
        {
            _subnetTexts = (subnets, [.. subnets.Select(s => s.ToString())]);
        }

        return new NodeHeartbeat(
            state.Self.Name,
            state.Self.Interface,
            _subnetTexts.Texts,
            new LinkState(link.Up, link.OperState, link.Carrier),
            labels,
            !leaving && state.Candidate(now),
            DateTimeOffset.UtcNow,
            state.StartId,
            leaving,
            link.SubnetInterfaces is { Count: > 0 } elsewhere
                ? subnets.Where(elsewhere.ContainsKey).ToDictionary(s => s.ToString(), s => elsewhere[s], StringComparer.Ordinal)
                : null);
    }

    /// <summary>One heartbeat into each of <paramref name="scopes"/>. False when the bus is down (nothing is queued: a stale heartbeat is worse than none).</summary>
    public async ValueTask<bool> PublishScopedAsync(TimeSpan now, bool leaving, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var payload = Payload(Build(now, leaving));
        var sent = true;
        foreach (var scope in scopes)
        {
            sent &= await bus.PublishAsync(SubjectOf(scope), payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    /// <summary>The cluster-wide liveness heartbeat (the same event as a scoped one, on another subject). False when the bus is down.</summary>
    public ValueTask<bool> PublishLivenessAsync(TimeSpan now, bool leaving, CancellationToken cancellationToken) =>
        bus.PublishAsync(_livenessSubject, Payload(Build(now, leaving)), cancellationToken: cancellationToken);

    /// <summary>
    /// A heartbeat (20 routine ones a second by default, and the liveness beat) repeating the last one encoded is that
    /// one's bytes restamped (<see cref="RestampedHeartbeatBytes"/>); anything new is encoded afresh and becomes the
    /// template. The liveness beat's own CloudEvents encoding was 8 % of the agent thread's samples (issue #15 item 1).
    /// </summary>
    private byte[] Payload(NodeHeartbeat heartbeat)
    {
        if (_template is { } last && RoutineHeartbeat.Repeats(last.Heartbeat, heartbeat)
            && RestampedHeartbeatBytes.From(last.Bytes, Guid.NewGuid(), DateTimeOffset.UtcNow, heartbeat.SentAt) is { } restamped)
        {
            return restamped;
        }

        var bytes = CloudEventCodec.Encode(EventTypes.NodeHeartbeat, heartbeat, _source, state.Self.Name);
        _template = (heartbeat, bytes);
        return bytes;
    }

    private string SubjectOf(string scope)
    {
        if (!_scopeSubjects.TryGetValue(scope, out var subject))
        {
            subject = _scopeSubjects[scope] = Subjects.ScopedHeartbeat(state.Self.Name, scope);
        }

        return subject;
    }
}
