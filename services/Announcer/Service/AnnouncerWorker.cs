using Beacon.Announcer.Convergence;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Peers;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Service;

/// <summary>
/// Follows this node's announcements (what its NodeAgent plumbed), the desired state (aggregation, services) and the
/// cluster's BGP peers (sessions, with or without Services), and keeps the configured mode converged to them. Starts from the kernel's view so a restarted announcer re-announces
/// what the node carries without waiting for changes; while the bus is down it keeps announcing what it has.
/// </summary>
public sealed partial class AnnouncerWorker(
    IEventBus bus,
    DesiredStateReplica replica,
    IAnnouncerMode mode,
    string node,
    BgpAttributes attributes,
    PeerContext peers,
    IHeldAddressSeed seed,
    ConvergenceTimings timings,
    TimeProvider time,
    ILoggerFactory logging,
    ClusterPeers? clusterPeers = null) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly ILogger _logger = logging.CreateLogger<AnnouncerWorker>();
    private HeldAddresses _held = HeldAddresses.Empty;
    private ModeConverger? _converger;
    private volatile bool _ready;
    private string _peerProblems = "";
    private readonly ClusterPeers _clusterPeers = clusterPeers ?? new ClusterPeers();
    private HandOffReportingMode? _reporting;

    /// <summary>How long the first apply waits for the desired-state snapshot.</summary>
    public TimeSpan FirstSyncWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The converger driving the mode (null until started); tests and health checks read its outcome.</summary>
    public ModeConverger? Converger => _converger;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Routing modes report which peers each route is handed to (ServiceBGPStatus); l2 hands nothing to peers.
        var reporting = mode.Name == Modes.L2.L2Mode.ModeName ? null : new HandOffReportingMode(mode, bus, node, _logger);
        _reporting = reporting;
        var converger = new ModeConverger(reporting ?? mode, timings, time, logging.CreateLogger<ModeConverger>());
        _converger = converger;
        var loop = converger.RunAsync(stoppingToken);
        var reporter = new DroppedMessageReporter(_logger, new MessagingCounters());
        await using (await bus.SubscribeAnnouncementsAsync(OnAnnouncementAsync, reporter, Subjects.Announcements(node), stoppingToken).ConfigureAwait(false))
        {
            _ = bus.ConnectAsync(stoppingToken);
            Seed();
            replica.Changed += OnDesiredStateChanged;
            _clusterPeers.Changed += OnClusterPeersChanged;
            _clusterPeers.Received += OnClusterPeersReceived;
            var peerReader = _clusterPeers.Start(bus, _logger);
            try
            {
                await replica.StartAsync(stoppingToken).ConfigureAwait(false);
                await WaitForDesiredStateAsync(stoppingToken).ConfigureAwait(false);
                _ready = true;
                Resubmit();
                await loop.ConfigureAwait(false);
            }
            finally
            {
                replica.Changed -= OnDesiredStateChanged;
                _clusterPeers.Changed -= OnClusterPeersChanged;
                _clusterPeers.Received -= OnClusterPeersReceived;
                if (peerReader is not null)
                {
                    await peerReader.DisposeAsync().ConfigureAwait(false);
                }

                await mode.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Gives the replica a moment to fetch its snapshot, so the first apply already knows each group's aggregation
    /// (announcing host routes first and the aggregate a moment later would be a needless flap). Bounded: with the
    /// bus down the announcer goes ahead with what the node carries.
    /// </summary>
    private async Task WaitForDesiredStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await replica.WaitUntilSynchronizedAsync(cancellationToken).WaitAsync(FirstSyncWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogNotSynchronized(_logger, FirstSyncWait);
        }
    }

    private void Seed()
    {
        try
        {
            var seeded = seed.Read();
            lock (_gate)
            {
                // Announcements that arrived since subscribing are newer than the kernel read: they win.
                foreach (var address in seeded.Where(a => !_held.ByAddress.ContainsKey(a.Address)))
                {
                    _held = _held.Add(address);
                }
            }

            LogSeeded(_logger, seeded.Count);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            LogSeedFailed(_logger, e.Message);
        }
    }

    private ValueTask OnAnnouncementAsync(Announcement announcement, CancellationToken cancellationToken)
    {
        if (announcement.IsHandOffReport)
        {
            // This node's own report of its routes' peers, not something the NodeAgent holds.
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            _held = _held.Apply(announcement, node);
        }

        Resubmit();
        return ValueTask.CompletedTask;
    }

    private void OnDesiredStateChanged(object? sender, DesiredStateChangedEventArgs e) => Resubmit();

    private void OnClusterPeersChanged(object? sender, EventArgs e) => Resubmit();

    /// <summary>
    /// Every set the Allocator publishes (at least once per leadership term, even unchanged) makes the next apply report
    /// all hand-offs again, so a new or restarted Allocator learns them without waiting for a change.
    /// </summary>
    private void OnClusterPeersReceived(object? sender, EventArgs e)
    {
        _reporting?.ReportAllAgain();
        Resubmit();
    }

    /// <summary>
    /// Tells the converger the set changed; it builds the set when it next applies. Building here, once per
    /// announcement and per allocation (on the bus's delivery thread and under the replica's lock), made a burst of
    /// 1,000 Services cost a million route entries and kept BIRD ~25 s behind its NodeAgent.
    /// </summary>
    private void Resubmit()
    {
        if (!_ready)
        {
            return;
        }

        _converger?.Submit(BuildCurrent);
    }

    private AnnouncementSet BuildCurrent()
    {
        HeldAddresses held;
        lock (_gate)
        {
            held = _held;
        }

        var desired = AnnouncementSetBuilder.Build(held, replica.Current.Services, attributes, peers, _clusterPeers.Current);
        ReportPeerProblems(desired.Problems);
        return desired;
    }

    /// <summary>A resource peer this node cannot configure (no password file, bad value) is logged once per change, not silently dropped.</summary>
    private void ReportPeerProblems(IReadOnlyList<string> problems)
    {
        var text = string.Join("; ", problems);
        lock (_gate)
        {
            if (text == _peerProblems)
            {
                return;
            }

            _peerProblems = text;
        }

        if (problems.Count > 0)
        {
            LogPeerProblems(_logger, text);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "BGP peers from resources not configured on this node: {Problems}")]
    private static partial void LogPeerProblems(ILogger logger, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No desired-state snapshot within {Wait}; announcing what the node carries, aggregation follows once it arrives")]
    private static partial void LogNotSynchronized(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Announcer starts with {Count} addresses plumbed on the dummy interface")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read plumbed addresses from the kernel ({Error}); waiting for announcements")]
    private static partial void LogSeedFailed(ILogger logger, string error);
}
