namespace Beacon.NodeAgent.Domain;

/// <summary>
/// The peer table built from heartbeats. A peer is live until <see cref="DeadAfter"/> passes without a heartbeat;
/// a leaving peer goes at once. Time is passed in (a monotonic offset), so this class does no I/O.
/// While frozen (the bus is unreachable, so silence proves nothing), nobody expires; on thaw every known peer gets a
/// fresh grace period (plus time for its own reconnect), because heartbeats resume only after it reconnects too.
/// </summary>
public sealed class Membership
{
    private readonly Dictionary<string, (NodeReport Report, TimeSpan LastHeard)> _peers = new(StringComparer.Ordinal);
    private TimeSpan? _frozenAt;

    public Membership(TimeSpan deadAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadAfter, TimeSpan.Zero);
        DeadAfter = deadAfter;
    }

    public TimeSpan DeadAfter { get; }

    public bool IsFrozen => _frozenAt is not null;

    /// <summary>Records a heartbeat heard at <paramref name="now"/>.</summary>
    public void Observe(NodeReport report, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(report);
        _peers[report.Node] = (report, now);
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
        foreach (var (node, peer) in _peers.ToList())
        {
            if (peer.LastHeard + DeadAfter > asOf && peer.LastHeard < heardAt)
            {
                _peers[node] = (peer.Report, heardAt);
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
}
