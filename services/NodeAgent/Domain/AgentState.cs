using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Everything one agent knows, and the decisions that follow from it; no I/O. The agent loop feeds it heartbeats,
/// desired state, link reports and bus state, then asks for the <see cref="Plan"/> and the heartbeat to send.
/// <para>
/// Safety rules kept here: (1) no plan before the desired state has arrived and the agent has listened for one full
/// <see cref="Membership.DeadAfter"/> window after hearing its own first heartbeat come back through the bus (a
/// restarted agent must hear its peers before it can know what it wins); until then it says it is not a candidate, so
/// peers keep what they hold. (2) Peer silence counts only while the bus demonstrably delivers: the agent hears its own
/// heartbeats echoed by NATS, and a peer's silence is measured only up to one interval after the last echo. A hung
/// server or a cut control link therefore freezes the view instead of making every agent claim everything; an explicit
/// disconnect freezes it too. (3) Once leaving, the plan is empty and the agent says so. (4) Heartbeats are scoped
/// per subnet (<see cref="MembershipScope"/>): a subnet counts for our own election only after our echo came back in
/// its scope and we listened there for a full window, so a subnet that appears later (a new address, a moved node) is
/// warmed up like a restart before we claim anything on it; until then our heartbeat leaves it out, so peers agree.
/// (5) The warm-up (and a scope's) ends early, one interval after the echo, once every peer in <see cref="ExpectPeers"/>
/// (the current owners on our subnets, from their stored status) has been heard: then we know who holds what. Without
/// that list, or while one of them stays silent, the full window applies.
/// </para>
/// </summary>
public sealed class AgentState
{
    private readonly Membership _membership;
    private readonly AddressDemandIndex _demands = new();
    private readonly TimeSpan _interval;
    private readonly TimeSpan _reconnectGrace;
    private TimeSpan? _warmUntil;
    private TimeSpan? _firstEcho;
    private IReadOnlySet<string>? _expected;
    private readonly HashSet<string> _expectedScopes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _heardPeers = new(StringComparer.Ordinal);
    private TimeSpan? _lastEcho;
    private TimeSpan? _unscopedWarmUntil;
    private readonly Dictionary<string, TimeSpan> _scopeWarmUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeHeartbeat> _observed = new(StringComparer.Ordinal);

    /// <param name="reconnectGrace">Extra time peers get to reappear after the bus comes back (their reconnect back-off).</param>
    public AgentState(LocalNode self, TimeSpan heartbeatInterval, int missedHeartbeats, string startId, TimeSpan reconnectGrace = default)
    {
        Self = self ?? throw new ArgumentNullException(nameof(self));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(missedHeartbeats, 1);
        StartId = startId;
        _interval = heartbeatInterval;
        _reconnectGrace = reconnectGrace;
        _membership = new Membership(heartbeatInterval * missedHeartbeats);
    }

    public LocalNode Self { get; private set; }

    /// <summary>Whether the node selector selects this node, changed at run time by the LBNodeAgents; a change re-plans.</summary>
    public void SetSelected(bool selected)
    {
        if (Self.SelectorMatches != selected)
        {
            Self = Self with { SelectorMatches = selected };
            Version++;
            ViewChanges++;
        }
    }

    public string StartId { get; }

    public LocalLink Link
    {
        get;
        private set
        {
            field = value;
            // Worked out once per link, not per heartbeat: our echo alone asks for them 20 times a second (issue #15 item 1).
            _linkScopes = MembershipScope.For(value.Subnets);
            _subnetScopes = [.. value.Subnets.Select(MembershipScope.Of)];
        }
    } = LocalLink.Missing;

    /// <summary>Our scopes (<see cref="MembershipScope.For"/> of <see cref="Link"/>'s subnets).</summary>
    private IReadOnlyList<string> _linkScopes = MembershipScope.For(LocalLink.Missing.Subnets);

    /// <summary>The scope of each of <see cref="Link"/>'s subnets, index for index.</summary>
    private string[] _subnetScopes = [];

    public bool HasDesiredState { get; private set; }

    public bool Leaving { get; private set; }

    public bool BusConnected { get; private set; }

    public IReadOnlyList<AddressDemand> Demands => _demands.Demands;

    /// <summary>Bumped whenever the desired state or our link changes, so the loop knows to plan again.</summary>
    public long Version { get; private set; }

    /// <summary>
    /// Bumped by every input that may change <see cref="View"/> other than time (a new or changed peer report, a peer
    /// leaving, our first echo in a scope, a stall's end, the bus going or coming back, the expected owners; and every
    /// <see cref="Version"/> change). A repeated heartbeat does not bump it: it only postpones its peer's expiry.
    /// Between bumps the view changes only at <see cref="ViewStableUntil"/>.
    /// </summary>
    public long ViewChanges { get; private set; }

    /// <summary>
    /// Until when, with no <see cref="ViewChanges"/> bump, <see cref="View"/> stays what it is at <paramref name="now"/>:
    /// the next peer expiry (a repeated heartbeat only moves it later) or the next warm-up moment, whichever comes first.
    /// An expiry already due (a stalled bus, evidence frozen behind it) gives <paramref name="now"/>: judge again on every wake.
    /// </summary>
    public TimeSpan ViewStableUntil(TimeSpan now)
    {
        var until = NextWarmUp(now) ?? TimeSpan.MaxValue;
        return NextExpiry() is { } expiry && expiry < until ? (expiry > now ? expiry : now) : until;
    }

    public void SetDesiredState(IEnumerable<AllocationChanged> services)
    {
        // Incremental: a burst's passes resolve only the addresses of Services that changed since the last view.
        _demands.Update(services);
        HasDesiredState = true;
        Version++;
        ViewChanges++;
    }

    /// <summary>Returns true when the link report differs from the previous one (peers should hear about it at once).</summary>
    public bool SetLink(LocalLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link.SameAs(Link))
        {
            return false;
        }

        Link = link;
        // A scope we left must be warmed up again if we come back to it: its peers may have changed meanwhile. The owners
        // were looked up for the subnets we had then, so a new or returning scope gets the full warm-up.
        var scopes = _linkScopes;
        _expectedScopes.IntersectWith(scopes);
        foreach (var scope in _scopeWarmUntil.Keys.Where(s => !scopes.Contains(s)).ToList())
        {
            _scopeWarmUntil.Remove(scope);
        }

        Version++;
        ViewChanges++;
        return true;
    }

    /// <summary>
    /// A heartbeat from the bus, heard in every scope at once (every agent hears every other: no per-subnet warm-up).
    /// </summary>
    public void Heard(NodeHeartbeat heartbeat, TimeSpan now) => Heard(heartbeat, null, now);

    /// <summary>
    /// Whether <paramref name="heartbeat"/> is our own, sent by this run of the agent (same start id): the echo. Safe from
    /// any thread (the bus's read loop asks it too): our name and start id never change.
    /// </summary>
    public bool IsOwnEcho(NodeHeartbeat heartbeat) =>
        heartbeat is not null && heartbeat.Node == Self.Name && heartbeat.AgentStartId == StartId;

    /// <summary>
    /// A heartbeat from the bus, heard in membership scope <paramref name="scope"/> (null: every scope). Our own (same
    /// start id) is the echo proving the bus delivers (and, per scope, that we listen there); any other with our name is
    /// ignored: we know ourselves better than the bus does.
    /// </summary>
    public void Heard(NodeHeartbeat heartbeat, string? scope, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (heartbeat.Node == Self.Name)
        {
            if (IsOwnEcho(heartbeat))
            {
                // After a stall our echo may arrive before the peers' heartbeats queued with it: their silence during
                // the stall proves nothing, so they start afresh.
                if (_lastEcho is { } last && now - last > 2 * _interval)
                {
                    _membership.Revive(last + _interval, now);
                    ViewChanges++;
                }

                _lastEcho = now;
                _firstEcho ??= now;
                if (_warmUntil is null)
                {
                    _warmUntil = now + _membership.DeadAfter;
                    ViewChanges++;
                }

                if (scope is null)
                {
                    if (_unscopedWarmUntil is null)
                    {
                        _unscopedWarmUntil = now + _membership.DeadAfter;
                        ViewChanges++;
                    }
                }
                else if (_linkScopes.Contains(scope) && _scopeWarmUntil.TryAdd(scope, now + _membership.DeadAfter))
                {
                    ViewChanges++;
                }
            }

            return;
        }

        if (_heardPeers.Add(heartbeat.Node))
        {
            ViewChanges++; // the warm-up may now end early
        }

        if (heartbeat.Leaving)
        {
            ViewChanges++;
            _membership.Leave(heartbeat.Node, heartbeat.AgentStartId);
            _observed.Remove(heartbeat.Node);
            return;
        }

        // The same heartbeat again (a repeat taken undecoded is the same instance): only its time is new.
        if (_observed.TryGetValue(heartbeat.Node, out var observed) && ReferenceEquals(observed, heartbeat) && _membership.Touch(heartbeat.Node, now, scope))
        {
            return;
        }

        _observed[heartbeat.Node] = heartbeat;
        ViewChanges++;

        var subnets = new List<System.Net.IPNetwork>(heartbeat.Subnets.Count);
        foreach (var text in heartbeat.Subnets)
        {
            if (NetworkPrefix.TryParse(text, out var subnet))
            {
                subnets.Add(subnet);
            }
        }

        Dictionary<System.Net.IPNetwork, string>? elsewhere = null;
        foreach (var (text, name) in heartbeat.SubnetInterfaces ?? new Dictionary<string, string>())
        {
            if (NetworkPrefix.TryParse(text, out var subnet) && name is { Length: > 0 and <= 15 })
            {
                (elsewhere ??= [])[subnet] = name;
            }
        }

        _membership.Observe(new NodeReport(heartbeat.Node, heartbeat.Interface, subnets, heartbeat.Link.Up, heartbeat.Candidate, heartbeat.AgentStartId, heartbeat.Labels, elsewhere), now, scope);
    }

    public void BusUp(TimeSpan now)
    {
        BusConnected = true;
        _membership.Thaw(now, _reconnectGrace);
        ViewChanges++;
    }

    public void BusDown(TimeSpan now)
    {
        BusConnected = false;
        // Freeze at the last moment the bus demonstrably delivered, not at the moment the client noticed it was gone.
        _membership.Freeze(EvidenceUntil(now));
        ViewChanges++;
    }

    public void StartLeaving()
    {
        Leaving = true;
        Version++;
        ViewChanges++;
    }

    /// <summary>
    /// The peers to hear before the warm-up may end early (see <see cref="Domain.ExpectedPeers"/>); until this is called,
    /// or after our subnets change, the full window applies.
    /// </summary>
    public void ExpectPeers(IReadOnlySet<string> peers)
    {
        _expected = peers ?? throw new ArgumentNullException(nameof(peers));
        _expectedScopes.UnionWith(_linkScopes);
        ViewChanges++;
    }

    /// <summary>Whether we have listened long enough, after the bus first echoed us, to know our peers.</summary>
    public bool WarmedUp(TimeSpan now) => _warmUntil is { } until && (now >= until || HeardExpected(_firstEcho!.Value, null, now));

    /// <summary>The next moment the warm-up (ours or a scope's) ends by time alone, so the loop can wake then; null when none is pending.</summary>
    public TimeSpan? NextWarmUp(TimeSpan now)
    {
        TimeSpan? next = null;
        void Consider(TimeSpan until)
        {
            var early = until - _membership.DeadAfter + _interval;
            foreach (var at in (ReadOnlySpan<TimeSpan>)[early, until])
            {
                if (at > now && (next is null || at < next))
                {
                    next = at;
                }
            }
        }

        if (_warmUntil is { } warm)
        {
            Consider(warm);
        }

        if (_unscopedWarmUntil is { } all)
        {
            Consider(all);
        }

        foreach (var until in _scopeWarmUntil.Values)
        {
            Consider(until);
        }

        return next;
    }

    /// <summary>The early end: one interval of listening since the echo, and every expected owner heard.</summary>
    private bool HeardExpected(TimeSpan echoAt, string? scope, TimeSpan now) =>
        _expected is { } expected && (scope is null || _expectedScopes.Contains(scope)) && now >= echoAt + _interval && expected.All(_heardPeers.Contains);

    /// <summary>Whether we may own addresses now (what our heartbeat says).</summary>
    public bool Candidate(TimeSpan now) => Self.SelectorMatches && HasDesiredState && WarmedUp(now) && !Leaving;

    public NodeReport SelfReport(TimeSpan now) => new(Self.Name, Self.Interface, ElectionSubnets(now), Link.Up, Candidate(now), StartId, Self.Labels, Link.SubnetInterfaces);

    /// <summary>
    /// Our subnets that count for election now (and that our heartbeat reports): those whose scope we have listened to
    /// for a full window since our echo came back there.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> ElectionSubnets(TimeSpan now) =>
        _unscopedWarmUntil is { } all && (now >= all || HeardExpected(all - _membership.DeadAfter, null, now))
            ? Link.Subnets
            : WarmSubnets(now);

    /// <summary>The subnets whose scope is warm; <see cref="Link"/>'s own list (no copy) when all are, as at steady state.</summary>
    private IReadOnlyList<System.Net.IPNetwork> WarmSubnets(TimeSpan now)
    {
        var subnets = Link.Subnets;
        var warm = 0;
        for (var i = 0; i < subnets.Count; i++)
        {
            warm += ScopeWarm(_subnetScopes[i], now) ? 1 : 0;
        }

        if (warm == subnets.Count)
        {
            return subnets;
        }

        var result = new List<System.Net.IPNetwork>(warm);
        for (var i = 0; i < subnets.Count; i++)
        {
            if (ScopeWarm(_subnetScopes[i], now))
            {
                result.Add(subnets[i]);
            }
        }

        return result;
    }

    /// <summary>
    /// Which of <paramref name="scopes"/> (ours, ordered) a routine heartbeat goes to now (see <see cref="RoutineHeartbeatScopes"/>);
    /// all of them while heartbeats are heard unscoped.
    /// </summary>
    public IReadOnlyList<string> RoutineScopes(IReadOnlyList<string> scopes, TimeSpan now) =>
        _unscopedWarmUntil is not null
            ? scopes
            : RoutineHeartbeatScopes.For(scopes, s => ScopeWarm(s, now), (scope, home) => _membership.AnyIn(scope, home, EvidenceUntil(now)));

    private bool ScopeWarm(string scope, TimeSpan now) =>
        _scopeWarmUntil.TryGetValue(scope, out var until) && (now >= until || HeardExpected(until - _membership.DeadAfter, scope, now));

    /// <summary>Peers plus ourselves. Peers expire here (so call it on every tick), judged as of <see cref="EvidenceUntil"/>.</summary>
    public MembershipView View(TimeSpan now)
    {
        var peers = _membership.View(EvidenceUntil(now)).Nodes.Where(n => n.Node != Self.Name);
        return new MembershipView(peers.Append(SelfReport(now)));
    }

    /// <summary>
    /// Up to when peer silence is evidence: now while our own heartbeats keep coming back, else one interval after the
    /// last echo (heartbeats in flight when the bus stalled have arrived by then).
    /// </summary>
    public TimeSpan EvidenceUntil(TimeSpan now) => _lastEcho is { } echo && echo + _interval < now ? echo + _interval : now;

    /// <summary>When the next peer would be declared dead, so the loop can wake then (may be past while the bus is stalled).</summary>
    public TimeSpan? NextExpiry() => _membership.NextExpiry();

    /// <summary>
    /// What to hold now; null while not ready to decide (no desired state yet, or still warming up), in which case the
    /// caller leaves the kernel as it is. Empty once leaving.
    /// </summary>
    public AddressPlan? Plan(MembershipView view, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (Leaving)
        {
            return AddressPlan.Empty;
        }

        if (!HasDesiredState || !WarmedUp(now))
        {
            return null;
        }

        return AddressPlan.For(_demands.Demands, view, Self);
    }
}
