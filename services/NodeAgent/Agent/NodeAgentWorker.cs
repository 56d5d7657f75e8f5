using System.Diagnostics;
using System.Net;
using Beacon.Contracts;
using Beacon.Hosting.Health;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.NodeAgent.Bus;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Kernel;
using Beacon.NodeAgent.Ports;
using Beacon.Networking.Addresses;
using Beacon.Networking.L2;
using Beacon.Networking.Links;
using Beacon.Networking.Netlink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// The agent's single loop: everything that happens (heartbeats, desired state, bus up/down, kernel link and address
/// notifications, timers) becomes an input, is applied to <see cref="AgentState"/>, and the kernel is reconciled when
/// the outcome changed. One thread of control means no locks around state, netlink or the reconciler.
/// </summary>
public sealed partial class NodeAgentWorker : BackgroundService
{
    private readonly NodeAgentOptions _options;
    private readonly IEventBus _bus;
    private readonly DesiredStateReplica _replica;
    private readonly AgentMetrics _metrics;
    private readonly ReadinessFlag _readiness;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly AgentInputs _inputs = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _startId = Guid.NewGuid().ToString("N")[..12];
    private volatile bool _synchronizedOnce;

    /// <summary>
    /// Set by the loop while a peer's expiry has come but our evidence lags behind it (our last echo + one interval is
    /// before it): then our own next echo, a repeat that would otherwise wait for the next wake, wakes the loop at once,
    /// so the takeover follows the echo and is not held back to our next heartbeat (up to one interval).
    /// </summary>
    private volatile bool _awaitingEcho;
    private readonly StrictArpFinding? _strictArp;
    private readonly NodeAgentConfigFeed _nodeConfig;
    private NodeConfiguration? _lastConfig;
    private readonly AnnouncingInterfaces? _announcing;

    public NodeAgentWorker(
        NodeAgentOptions options,
        IEventBus bus,
        DesiredStateReplica replica,
        AgentMetrics metrics,
        NodeAgentReadiness readiness,
        TimeProvider time,
        ILoggerFactory loggers,
        StrictArpFinding? strictArp = null,
        NodeAgentConfigFeed? nodeConfig = null,
        AnnouncingInterfaces? announcing = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _replica = replica ?? throw new ArgumentNullException(nameof(replica));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _readiness = (readiness ?? throw new ArgumentNullException(nameof(readiness))).Flag;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        _logger = loggers.CreateLogger<NodeAgentWorker>();
        _strictArp = strictArp;
        _nodeConfig = nodeConfig ?? new NodeAgentConfigFeed();
        _announcing = announcing;
    }

    /// <summary>
    /// After the bus returns, peers reconnect with their own back-off (at most 1 s, see NodeAgentNatsOptions): until they
    /// are back their silence is not death.
    /// </summary>
    private static readonly TimeSpan PeerReconnectGrace = TimeSpan.FromSeconds(2);

    private TimeSpan Now => _clock.Elapsed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var netlink = RouteNetlinkClient.Open();
        var plumber = new AddressPlumber(netlink, logger: _loggers.CreateLogger<AddressPlumber>());
        LabelRequirements.TryParse(_options.NodeLabels, out var labels, out _);

        // The LBNodeAgent settings come first: they may name the interfaces, and no address is claimed before they are
        // known. The wait is bounded so a missing Allocator or bus never keeps the agent from starting.
        _nodeConfig.Changed += OnNodeConfigChanged;
        await using var nodeConfigReader = _nodeConfig.Start(_bus, _logger);
        (_bus as Messaging.Nats.NatsEventBus)?.Start();
        if (_options.NodeConfigWait > TimeSpan.Zero && !await _nodeConfig.WaitFirstReadAsync(_options.NodeConfigWait, stoppingToken).ConfigureAwait(false))
        {
            LogNodeConfigLate(_logger, _options.NodeConfigWait);
        }

        var config = ResolveNodeConfig(labels);
        var interfaceName = config.Interface == "default"
            ? LinkReader.DefaultRouteInterface() ?? throw new InvalidOperationException("--interface default: this host has no IPv4 default route; name the interface")
            : LocalInterface(netlink, config);
        EnsureDummy(netlink, config.DummyInterface);
        var self = new LocalNode(_options.NodeName, interfaceName, config.DummyInterface, config.Selected, labels, config.Extras);
        _announcing?.Set(self.LocalInterfaces);
        var state = new AgentState(self, _options.HeartbeatInterval, _options.MissedHeartbeats, _startId, PeerReconnectGrace);
        var links = new LinkReader(netlink, plumber);
        // The LBNodeAgent's interfaces[] join the announcing interface: their subnets are elected and plumbed too.
        LocalLink ReadLink() => LocalLink.Combine(links.Read(interfaceName), [.. config.Extras.Select(name => (name, links.Read(name)))]);
        state.SetLink(ReadLink());

        await using var sink = new BusAnnouncementSink(_bus, self.Name, _strictArp);
        using var neighbours = new PacketNeighbourAnnouncer(new AnnouncementOptions { Count = config.Garp.Count, Interval = config.Garp.Interval });
        using var conflicts = new AddressConflictWatch(_metrics, _loggers.CreateLogger<AddressConflictWatch>()); // defends what we own (RFC 5227 2.4)
        using var reconciler = new Reconciler(self, new NetlinkAddressTable(plumber), neighbours, sink, _metrics, config.AddressLifetime, _time, _loggers.CreateLogger<Reconciler>(), conflicts)
        {
            Garp = config.Garp,
        };
        var heartbeats = new HeartbeatPublisher(_bus, state, labels);
        using var probes = new ArpOwnerProbe(_options.TakeoverProbeTimeout);
        LogStarting(_logger, self.Name, string.Join(", ", self.LocalInterfaces), self.DummyInterface, self.SelectorMatches, plumber.Marking);

        using var monitor = NetworkChangeMonitor.Open();
        var watching = Task.Run(() => WatchKernelAsync(monitor, plumber, self, stoppingToken), CancellationToken.None);
        _bus.StateChanged += OnBusStateChanged;
        _replica.Changed += OnDesiredStateChanged;
        var dropped = new DroppedMessageReporter(_logger, new MessagingCounters());
        var inbox = new HeartbeatInbox(2 * _options.HeartbeatInterval);
        await using var scopes = new ScopedHeartbeatSubscriptions(_bus, self.Name, (heartbeat, scope) =>
        {
            if (inbox.Post(heartbeat, scope, Now) || (_awaitingEcho && state.IsOwnEcho(heartbeat)))
            {
                _inputs.Wake(); // straight from NATS.Net's read loop to the agent's thread
            }
        }, dropped);
        await scopes.SetAsync(MembershipScope.For(state.Link.Subnets), stoppingToken).ConfigureAwait(false);
        // Peers' statuses, live: a peer's report that it let go of an address we had to give up on the wire re-announces it.
        await using var peerStatuses = await PeerStatusFeed.StartAsync(_bus, self.Name, conflicts, dropped, stoppingToken).ConfigureAwait(false);
        await using var statusRead = StartupStatusRead.Start(_bus, read =>
        {
            peerStatuses.Seed(read);
            _inputs.Post(new AgentInput.StatusesRead(read));
        }, dropped, _logger);
        await _replica.StartAsync(stoppingToken).ConfigureAwait(false);
        if (_bus is Messaging.Nats.NatsEventBus nats)
        {
            nats.Start();
        }
        else
        {
            _ = _bus.ConnectAsync(stoppingToken);
        }

        if (_bus.State == BusConnectionState.Connected)
        {
            _inputs.Post(new AgentInput.BusStateChanged(true));
        }

        OnDesiredStateChanged(this, null);
        var loop = new Loop(this, state, inbox, reconciler, heartbeats, scopes, ReadLink, probes, neighbours, config, labels);
        try
        {
            await loop.RunOnOwnThreadAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _bus.StateChanged -= OnBusStateChanged;
            _replica.Changed -= OnDesiredStateChanged;
            _nodeConfig.Changed -= OnNodeConfigChanged;
            await LeaveAsync(state, reconciler, heartbeats, scopes.Scopes, sink).ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }
    }

    /// <summary>Withdraw everything we hold, then tell peers we are gone so they take over now, not after the timeout.</summary>
    private async Task LeaveAsync(AgentState state, Reconciler reconciler, HeartbeatPublisher heartbeats, IReadOnlyList<string> scopes, BusAnnouncementSink sink)
    {
        state.StartLeaving();
        reconciler.Apply(AddressPlan.Empty, "shutting down", refresh: false);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await heartbeats.PublishScopedAsync(Now, leaving: true, scopes, deadline.Token).ConfigureAwait(false);
            await heartbeats.PublishLivenessAsync(Now, leaving: true, deadline.Token).ConfigureAwait(false);
            await sink.DrainAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await _bus.FlushAsync(TimeSpan.FromSeconds(1), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The bus is slow or down: the addresses are gone anyway and peers notice by the missed heartbeats.
        }

        LogLeft(_logger, state.Self.Name);
    }

    /// <summary>
    /// The interface named by <paramref name="config"/>: an option is a name; an LBNodeAgent's localInterface may also be
    /// one of PureLB's regular expressions (first matching interface by name). No match keeps the text (the link then
    /// reads as missing, and the agent owns no local address until a restart finds it), said in the log.
    /// </summary>
    private string LocalInterface(RouteNetlinkClient netlink, NodeConfiguration config)
    {
        if (config.Source is null || config.Overridden.Contains("localInterface"))
        {
            return config.Interface;
        }

        IReadOnlyList<string> names;
        try
        {
            names = [.. netlink.ListLinks().Select(l => l.Name)];
        }
        catch (NetlinkException)
        {
            return config.Interface;
        }

        if (InterfacePattern.Resolve(config.Interface, names) is { } name)
        {
            return name;
        }

        LogNoInterfaceMatch(_logger, config.Interface, config.Source);
        return config.Interface;
    }

    private void EnsureDummy(RouteNetlinkClient netlink, string dummy)
    {
        try
        {
            DummyLinkProvisioner.Ensure(netlink, dummy, _loggers.CreateLogger(typeof(DummyLinkProvisioner)));
        }
        catch (NetlinkException e)
        {
            // Without it remote addresses cannot be plumbed (counted per attempt); local addresses still work.
            _metrics.PlumbingFailed("create-dummy");
            LogDummyFailed(_logger, dummy, e.Message);
        }
    }

    private async Task WatchKernelAsync(NetworkChangeMonitor monitor, AddressPlumber plumber, LocalNode self, CancellationToken stoppingToken)
    {
        await foreach (var change in monitor.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            switch (change)
            {
                case LinkChanged link when self.LocalInterfaces.Contains(link.Link.Name) || link.Link.Name == self.DummyInterface:
                    _inputs.Post(new AgentInput.LinkChanged());
                    break;
                case AddressChanged { Removed: true } address when plumber.IsOurs(address.Address):
                    _inputs.Post(new AgentInput.OwnAddressRemoved());
                    break;
                case AddressChanged address when !plumber.IsOurs(address.Address):
                    _inputs.Post(new AgentInput.LinkChanged()); // our subnets may have changed
                    break;
                case ChangesLost:
                    _inputs.Post(new AgentInput.LinkChanged());
                    _inputs.Post(new AgentInput.OwnAddressRemoved());
                    break;
            }
        }
    }

    private void OnNodeConfigChanged(object? sender, EventArgs e) => _inputs.Post(new AgentInput.NodeConfigChanged());

    /// <summary>This node's settings from its options and the LBNodeAgent that applies to it; logged when they change.</summary>
    private NodeConfiguration ResolveNodeConfig(IReadOnlyDictionary<string, string> labels)
    {
        var choice = NodeAgentConfigChoice.For(_nodeConfig.Current ?? [], labels);
        var config = NodeConfiguration.Resolve(_options, labels, choice);
        if (_lastConfig is null || !SameConfig(_lastConfig, config))
        {
            LogNodeConfig(_logger, config.Source ?? "none (options only)", config.Interface, config.DummyInterface, config.Selected,
                config.Garp.Sends ? $"{config.Garp.Count} every {config.Garp.Interval.TotalMilliseconds}ms after {config.Garp.InitialDelay.TotalMilliseconds}ms" : "off",
                config.AddressLifetime, choice.Deselected ? "no LBNodeAgent selects this node" : choice.Ignored.Count == 0 ? "-" : "ignored (lower precedence): " + string.Join(", ", choice.Ignored),
                config.Overridden.Count == 0 ? "-" : string.Join(", ", config.Overridden));
        }

        _lastConfig = config;
        return config;
    }

    private static bool SameConfig(NodeConfiguration a, NodeConfiguration b) =>
        a.Interface == b.Interface && a.DummyInterface == b.DummyInterface && a.Selected == b.Selected && a.Garp == b.Garp
        && a.AddressLifetime == b.AddressLifetime && a.Source == b.Source && a.Overridden.SequenceEqual(b.Overridden);

    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e) =>
        _inputs.Post(new AgentInput.BusStateChanged(e.State == BusConnectionState.Connected));

    private void OnDesiredStateChanged(object? sender, DesiredStateChangedEventArgs? e)
    {
        // Act only once the stream has been read through at least once; afterwards every change (even while the stream
        // is being re-read after a reconnect) is better than the previous picture.
        var view = e?.Current ?? _replica.Current;
        _synchronizedOnce |= view.Synchronized;
        if (_synchronizedOnce)
        {
            _inputs.Post(new AgentInput.DesiredStateChanged(view.Services.Values));
        }
    }

    /// <summary>
    /// The loop proper: owns the state, waking for inputs, the next heartbeat, the next peer expiry and refreshes. It runs
    /// on a thread of its own (see <see cref="AgentInputs"/>) and blocks there on the rare bus or probe call that does not
    /// complete at once (a heartbeat publish normally only fills NATS.Net's buffer).
    /// </summary>
    private sealed class Loop(
        NodeAgentWorker agent, AgentState state, HeartbeatInbox inbox, Reconciler reconciler, HeartbeatPublisher heartbeats, ScopedHeartbeatSubscriptions scopes, Func<LocalLink> readLink,
        IOwnerProbe probes, PacketNeighbourAnnouncer neighbours, NodeConfiguration started, IReadOnlyDictionary<string, string> labels)
    {
        private readonly TimeSpan _interval = agent._options.HeartbeatInterval;
        private readonly TimeSpan _livenessInterval = agent._options.LivenessInterval;
        private TimeSpan _refreshEvery = started.AddressLifetime.RefreshEvery(agent._options.AddressLifetime / 3);
        private MembershipView _lastView = MembershipView.Empty;
        private long _lastVersion = -1;
        private long _lastViewChanges = -1;
        private TimeSpan _viewStableUntil;
        private bool _lastCandidate;
        private bool _warmedUp;
        private int _lastSubnetsCounted;
        private IReadOnlyList<string> _lastRoutine = [];
        private IReadOnlySet<IPAddress> _deferred = new HashSet<IPAddress>();
        private readonly DesiredStateBurst<AgentInput.DesiredStateChanged> _burst = new();
        private readonly Func<TimeSpan> _now = () => agent.Now; // one delegate, not one per wait

        /// <summary>Starts the loop on its thread; completes when it ends (stopping, or its failure).</summary>
        public Task RunOnOwnThreadAsync(CancellationToken stoppingToken)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                using var stopping = stoppingToken.UnsafeRegister(static inputs => ((AgentInputs)inputs!).Wake(), agent._inputs);
                try
                {
                    Run(stoppingToken);
                    done.SetResult();
                }
#pragma warning disable CA1031 // Handed to the host through the task, as an exception of ExecuteAsync always was.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    done.SetException(e);
                }
            })
            {
                IsBackground = true,
                Name = "Agent loop", // the thread's name in /proc (at most 15 characters)
            };
            thread.Start();
            return done.Task;
        }

        private void Run(CancellationToken stoppingToken)
        {
            var nextHeartbeat = agent.Now;
            var nextLiveness = agent.Now;
            var nextRefresh = agent.Now + _refreshEvery;
            while (!stoppingToken.IsCancellationRequested)
            {
                var wakeNow = false;
                // An expiry already past waits for evidence (our echo, which then wakes us; none while the bus is stalled).
                var next = state.NextExpiry();
                var expiry = next is { } due && due > agent.Now ? due : TimeSpan.MaxValue;
                agent._awaitingEcho = next is { } pending && pending <= agent.Now && state.BusConnected;
                if (agent._awaitingEcho && inbox.HasPending)
                {
                    wakeNow = true; // the echo may have come in before the flag was up
                }

                var warm = state.NextWarmUp(agent.Now) ?? TimeSpan.MaxValue;
                var wake = Min(Min(nextHeartbeat, nextRefresh, expiry), warm, TimeSpan.MaxValue);
                wake = _burst.DueAt is { } burstDue && burstDue < wake ? burstDue : wake;
                wake = wakeNow ? TimeSpan.Zero : wake;
                agent._inputs.WaitUntil(wake, _now);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                var reason = "tick";
                var repair = false;
                var linkChanged = false;
                // Heartbeats first, each at its arrival time: a peer's expiry is never judged on a stale last-heard.
                foreach (var heard in inbox.Drain())
                {
                    state.Heard(heard.Heartbeat, heard.Scope, heard.At);
                }

                while (agent._inputs.TryTake(out var input))
                {
                    switch (input)
                    {
                        case AgentInput.StatusesRead read:
                            ExpectPeers(read);
                            break;
                        case AgentInput.DesiredStateChanged desired:
                            _burst.Arrived(desired, agent.Now); // only the latest view of a burst counts
                            break;
                        case AgentInput.BusStateChanged { Connected: true }:
                            state.BusUp(agent.Now);
                            LogBusUp(agent._logger);
                            break;
                        case AgentInput.BusStateChanged:
                            state.BusDown(agent.Now);
                            LogBusDown(agent._logger);
                            break;
                        case AgentInput.LinkChanged:
                            linkChanged |= state.SetLink(readLink());
                            break;
                        case AgentInput.OwnAddressRemoved:
                            repair = true;
                            break;
                        case AgentInput.NodeConfigChanged:
                            if (ApplyNodeConfig())
                            {
                                nextRefresh = agent.Now; // the new lifetime reaches the addresses already held
                            }

                            reason = "LBNodeAgent changed";
                            break;
                    }
                }

                if (_burst.TakeIfDue(agent.Now) is { } desiredState)
                {
                    state.SetDesiredState(desiredState.Services);
                    reason = "desired state changed";
                }

                var now = agent.Now;
                if (!_warmedUp && state.WarmedUp(now))
                {
                    _warmedUp = true;
                    LogWarmedUp(agent._logger);
                }

                var candidate = state.Candidate(now);
                IReadOnlyList<string> left = [];
                if (linkChanged)
                {
                    // Our subnets may have moved: listen to the new scopes before leaving the old ones.
                    left = scopes.SetAsync(MembershipScope.For(state.Link.Subnets), stoppingToken).GetAwaiter().GetResult();
                }

                var subnetsCounted = state.ElectionSubnets(now).Count;
                var news = linkChanged || candidate != _lastCandidate || subnetsCounted != _lastSubnetsCounted;
                var liveness = now >= nextLiveness || linkChanged || candidate != _lastCandidate;
                // A routine heartbeat goes to as few scopes as reach every peer; a scope newly needed (a peer that cannot
                // hear our home scope appeared there) gets one at once rather than an interval later.
                var routine = news || liveness ? scopes.Scopes : state.RoutineScopes(scopes.Scopes, now);
                var widened = !news && !liveness && routine.Any(s => !_lastRoutine.Contains(s));
                if (now >= nextHeartbeat || news || widened)
                {
                    // Link, candidacy and warmed-up subnet changes go out at once and to every scope: peers must not wait an
                    // interval to take over. The peers of a scope we just left hear the change too, so they stop counting us
                    // there now. Each liveness beat goes to every scope as well (see RoutineHeartbeatScopes).
                    _ = Completed(heartbeats.PublishScopedAsync(now, leaving: false, left.Count == 0 ? routine : routine.Concat(left), stoppingToken));
                    _lastRoutine = routine;
                    nextHeartbeat = now + HeartbeatPhase.UntilNext(agent._time.GetUtcNow(), _interval); // in step with the peers
                    if (liveness)
                    {
                        _ = Completed(heartbeats.PublishLivenessAsync(now, leaving: false, stoppingToken));
                        nextLiveness = now + _livenessInterval;
                    }

                    _lastCandidate = candidate;
                    _lastSubnetsCounted = subnetsCounted;
                }

                var refresh = now >= nextRefresh;
                if (refresh)
                {
                    nextRefresh = now + _refreshEvery;
                }

                Evaluate(now, linkChanged ? "link changed" : repair ? "repair" : refresh ? "refresh" : reason, refresh, repair || linkChanged, stoppingToken);
            }
        }

        /// <summary>
        /// Applies what can change at run time (node selection, gratuitous ARP/NA, address lifetime); a different
        /// interface or dummy interface is logged as needing a restart. Returns whether the lifetime changed.
        /// </summary>
        private bool ApplyNodeConfig()
        {
            var next = agent.ResolveNodeConfig(labels);
            state.SetSelected(next.Selected);
            reconciler.Garp = next.Garp;
            neighbours.Options = new AnnouncementOptions { Count = next.Garp.Count, Interval = next.Garp.Interval };
            if (next.Interface != started.Interface || next.DummyInterface != started.DummyInterface || !next.Extras.SequenceEqual(started.Extras, StringComparer.Ordinal))
            {
                LogRestartNeeded(agent._logger, next.Interface, next.DummyInterface, started.Interface, started.DummyInterface);
            }

            if (next.AddressLifetime == reconciler.Lifetimes)
            {
                return false;
            }

            reconciler.Lifetimes = next.AddressLifetime;
            _refreshEvery = next.AddressLifetime.RefreshEvery(agent._options.AddressLifetime / 3);
            return true;
        }

        /// <summary>
        /// Whose heartbeats to wait for, from every node's stored status. The statuses are taken here, not in the
        /// long-running loop, so no slot of its frame keeps them (thousands of entries with 1,000 Services) alive.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private void ExpectPeers(AgentInput.StatusesRead read)
        {
            var expected = ExpectedPeers.From(read.Take(), state.Self.Name, state.Link.Subnets);
            state.ExpectPeers(expected);
            LogExpecting(agent._logger, expected.Count, string.Join(", ", expected.Order(StringComparer.Ordinal)));
        }

        private void Evaluate(TimeSpan now, string reason, bool refresh, bool force, CancellationToken stoppingToken)
        {
            // Nothing that could change the view or the plan since the last pass (at idle: a wake for our own beat, or
            // for peers' repeated beats): no view is built (it was a fifth of the agent thread's samples, issue #15 item 1).
            // While an address is deferred to a silent owner that still answers, ask again on every wake (each heartbeat).
            if (state.ViewChanges == _lastViewChanges && now < _viewStableUntil && !refresh && !force && _deferred.Count == 0)
            {
                return;
            }

            _lastViewChanges = state.ViewChanges;
            _viewStableUntil = state.ViewStableUntil(now);
            var view = state.View(now);
            agent._metrics.LivePeers(view.Nodes.Count);
            var viewChanged = !view.SameAs(_lastView);
            if (!viewChanged && state.Version == _lastVersion && !refresh && !force && _deferred.Count == 0)
            {
                return;
            }

            var planStarted = Stopwatch.GetTimestamp();
            var plan = state.Plan(view, now);
            var planning = Stopwatch.GetElapsedTime(planStarted);
            if (plan is null)
            {
                return;
            }

            plan = DeferAnswered(plan, view, stoppingToken);

            if (viewChanged && reason is "tick")
            {
                reason = "membership changed";
            }

            var started = Stopwatch.GetTimestamp();
            reconciler.Apply(plan, reason, refresh);
            _burst.PassTook(Stopwatch.GetElapsedTime(started) + planning);
            _lastView = view;
            _lastVersion = state.Version;
            agent._readiness.MarkReady();
        }

        /// <summary>
        /// Before taking an address whose owner fell silent, ask the LAN (one ARP probe, a short timeout): an owner
        /// that only lost its bus still answers, and taking the address then would make two nodes answer. Such an
        /// address stays with it (left out of our plan) until it stops answering or comes back into our view.
        /// </summary>
        private AddressPlan DeferAnswered(AddressPlan plan, MembershipView view, CancellationToken stoppingToken)
        {
            var candidates = TakeoverProbe.Candidates(reconciler.Applied, plan, view, state.Self);
            IReadOnlySet<IPAddress> answered = new HashSet<IPAddress>();
            if (candidates.Count > 0)
            {
                try
                {
                    // Each address is probed on the interface it would go on (interfaces[] may give several).
                    var on = plan.Addresses.GroupBy(a => a.Plumbing.Address).ToDictionary(g => g.Key, g => g.First().Plumbing.Interface);
                    var heard = new HashSet<IPAddress>();
                    foreach (var group in candidates.GroupBy(a => on.GetValueOrDefault(a, state.Self.Interface), StringComparer.Ordinal))
                    {
                        heard.UnionWith(probes.AnsweredAsync(group.Key, [.. group], stoppingToken).GetAwaiter().GetResult());
                    }

                    answered = heard;
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
#pragma warning disable CA1031 // Without a probe we take over as before: a possible duplicate beats an address nobody answers.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    agent._metrics.PlumbingFailed("probe");
                    LogProbeFailed(agent._logger, state.Self.Interface, e.Message);
                }
            }

            foreach (var address in answered.Where(a => !_deferred.Contains(a)))
            {
                LogDeferred(agent._logger, address, reconciler.Applied.Owners[address] ?? "?");
            }

            _deferred = answered;
            return answered.Count == 0 ? plan : plan.Deferring(answered.ToDictionary(a => a, a => reconciler.Applied.Owners[a] ?? "?"));
        }

        /// <summary>The result of a bus call on this thread: at once when it completed synchronously (the usual case), else after blocking for it.</summary>
        private static T Completed<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

        private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => a < b ? (a < c ? a : c) : (b < c ? b : c);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node agent {Node} starting: local addresses on {Interface}, remote on {Dummy}, selected {Selected}, address marking {Marking}")]
    private static partial void LogStarting(ILogger logger, string node, string @interface, string dummy, bool selected, AddressMarking marking);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owners on our subnets per their stored status: {Count} ({Nodes}); the warm-up ends once each has been heard")]
    private static partial void LogExpecting(ILogger logger, int count, string nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up over: peers heard, taking part in election")]
    private static partial void LogWarmedUp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node settings: LBNodeAgent {Source}; interface {InterfaceName}, dummy {Dummy}, selected {Selected}, gratuitous ARP/NA {Garp}, address lifetime {Lifetime}; {Matches}; options overriding the resource: {Overridden}")]
    private static partial void LogNodeConfig(ILogger logger, string source, string interfaceName, string dummy, bool selected, string garp, AddressLifetimes lifetime, string matches, string overridden);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No LBNodeAgent settings read from the bus within {Wait}: starting with the options; settings arriving later apply then (an interface change only after a restart)")]
    private static partial void LogNodeConfigLate(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LBNodeAgent now asks for interface {Interface} and dummy interface {Dummy}, but this agent runs on {Running} and {RunningDummy}: restart the node agent to apply the interface change (everything else is applied now)")]
    private static partial void LogRestartNeeded(ILogger logger, string @interface, string dummy, string running, string runningDummy);

    [LoggerMessage(Level = LogLevel.Error, Message = "LBNodeAgent {Source} names localInterface '{Pattern}', which matches no interface of this node: it owns no node-local address until the interface exists and the agent restarts")]
    private static partial void LogNoInterfaceMatch(ILogger logger, string pattern, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node agent {Node} withdrew its addresses and left")]
    private static partial void LogLeft(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bus connected: peers get a fresh grace period")]
    private static partial void LogBusUp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bus unreachable: keeping every address we hold and freezing the peer view until it returns")]
    private static partial void LogBusDown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Address}: its owner {Owner} fell silent but still answers ARP (only its bus is gone?): leaving it there until it stops answering")]
    private static partial void LogDeferred(ILogger logger, IPAddress address, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not probe {Interface} for a silent owner's addresses, taking them over without: {Error}")]
    private static partial void LogProbeFailed(ILogger logger, string @interface, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create {Dummy}: {Error}; remote addresses cannot be plumbed")]
    private static partial void LogDummyFailed(ILogger logger, string dummy, string error);
}
