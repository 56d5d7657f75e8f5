using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// The peer table built from heartbeats. A peer is live until <see cref="DeadAfter"/> passes without a heartbeat;
/// a leaving peer goes at once. Time is passed in (a monotonic offset), so this class does no I/O.
/// While frozen (the bus is unreachable, so silence proves nothing), nobody expires; on thaw every known peer gets a
/// fresh grace period (plus time for its own reconnect), because heartbeats resume only after it reconnects too.
/// </summary>
/// Each peer also records the membership scopes it is in (its subnets', and those it was heard on lately), so the agent
/// knows which of its scopes a routine heartbeat must go to (<see cref="RoutineHeartbeatScopes"/>).
public sealed class Membership
{
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private TimeSpan? _frozenAt;

    public Membership(TimeSpan deadAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadAfter, TimeSpan.Zero);
        DeadAfter = deadAfter;
    }

    public TimeSpan DeadAfter { get; }

    public bool IsFrozen => _frozenAt is not null;

    /// <summary>Records a heartbeat heard at <paramref name="now"/> (in membership scope <paramref name="scope"/>, when known).</summary>
    public void Observe(NodeReport report, TimeSpan now, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var peer = _peers.TryGetValue(report.Node, out var known) && known.Report.StartId == report.StartId ? known : new Peer();
        if (!ReferenceEquals(peer.Report, report))
        {
            peer.Scopes = [.. report.Subnets.Select(MembershipScope.Of)];
        }

        peer.Report = report;
        peer.LastHeard = now;
        if (scope is not null)
        {
            peer.HeardOn[scope] = now;
        }

        _peers[report.Node] = peer;
    }

    /// <summary>
    /// A heartbeat that repeats the last one observed from <paramref name="node"/>: only its time (and scope) is new.
    /// False when the peer is not known (any more): observe the heartbeat instead.
    /// </summary>
    public bool Touch(string node, TimeSpan now, string? scope = null)
    {
        if (!_peers.TryGetValue(node, out var peer))
        {
            return false;
        }

        peer.LastHeard = now;
        if (scope is not null)
        {
            peer.HeardOn[scope] = now;
        }

        return true;
    }

    /// <summary>
    /// Whether a peer alive at <paramref name="now"/> is in <paramref name="scope"/> but not in <paramref name="other"/>,
    /// by its subnets or by the scopes it was heard on within <see cref="DeadAfter"/> (a scope it is still warming up
    /// is not among its subnets yet).
    /// </summary>
    public bool AnyIn(string scope, string other, TimeSpan now)
    {
        var asOf = _frozenAt is { } frozenAt && frozenAt < now ? frozenAt : now;
        foreach (var peer in _peers.Values)
        {
            if (peer.LastHeard + DeadAfter > asOf && peer.In(scope, asOf - DeadAfter) && !peer.In(other, asOf - DeadAfter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The peer said it is leaving (graceful shutdown). A later heartbeat from a new start brings it back.</summary>
    public void Leave(string node, string? startId = null)
    {
        if (_peers.TryGetValue(node, out var peer) && (startId is null || peer.Report.StartId == startId))
        {
            _peers.Remove(node);
        }
    }

    /// <summary>Stops expiring peers: the view stays as it was at <paramref name="now"/>.</summary>
    public void Freeze(TimeSpan now) => _frozenAt ??= now;

    /// <summary>
    /// Resumes expiry; peers alive at the freeze get a full <see cref="DeadAfter"/> from <paramref name="now"/> plus
    /// <paramref name="reconnectGrace"/> (peers reconnect with their own back-off, not all at once).
    /// </summary>
    public void Thaw(TimeSpan now, TimeSpan reconnectGrace = default)
    {
        if (_frozenAt is not { } frozenAt)
        {
            return;
        }

        Revive(frozenAt, now + reconnectGrace);
        _frozenAt = null;
    }

    /// <summary>
    /// Peers that were alive as of <paramref name="asOf"/> count as heard at <paramref name="heardAt"/>: after a stall,
    /// their heartbeats queued behind ours are still on the way.
    /// </summary>
    public void Revive(TimeSpan asOf, TimeSpan heardAt)
    {
        foreach (var peer in _peers.Values)
        {
            if (peer.LastHeard + DeadAfter > asOf && peer.LastHeard < heardAt)
            {
                peer.LastHeard = heardAt;
                foreach (var (scope, at) in peer.HeardOn.ToList())
                {
                    if (at + DeadAfter > asOf)
                    {
                        peer.HeardOn[scope] = heardAt;
                    }
                }
            }
        }
    }

    /// <summary>The live peers at <paramref name="now"/>; dead ones are forgotten.</summary>
    public MembershipView View(TimeSpan now)
    {
        var asOf = _frozenAt is { } frozenAt && frozenAt < now ? frozenAt : now;
        List<string>? dead = null;
        var live = new List<NodeReport>(_peers.Count);
        foreach (var (node, peer) in _peers)
        {
            if (peer.LastHeard + DeadAfter > asOf)
            {
                live.Add(peer.Report);
            }
            else
            {
                (dead ??= []).Add(node);
            }
        }

        foreach (var node in dead ?? [])
        {
            _peers.Remove(node);
        }

        return new MembershipView(live);
    }

    /// <summary>When the next peer would expire, so a caller can wake exactly then; null when none can.</summary>
    public TimeSpan? NextExpiry() =>
        _frozenAt is not null || _peers.Count == 0 ? null : _peers.Values.Min(p => p.LastHeard) + DeadAfter;

    private sealed class Peer
    {
        public NodeReport Report { get; set; } = null!;

        public TimeSpan LastHeard { get; set; }

        /// <summary>The scopes of its subnets (as its last heartbeat reported them).</summary>
        public IReadOnlyList<string> Scopes { get; set; } = [];

        /// <summary>When it was last heard on each scope's subject.</summary>
        public Dictionary<string, TimeSpan> HeardOn { get; } = new(StringComparer.Ordinal);

        public bool In(string scope, TimeSpan heardSince) =>
            Scopes.Contains(scope) || (HeardOn.TryGetValue(scope, out var at) && at > heardSince);
    }
}
