using System.Net;
using Beacon.Networking.L2;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Modes.L2;

/// <summary>
/// The <c>l2</c> mode: answers ARP and Neighbor Solicitations for the addresses this node owns on its local
/// interface (<see cref="AddressKind.LocalOwner"/>), on the configured interfaces, through libpcap (SharpPcap),
/// and announces each newly gained address with gratuitous ARP or an unsolicited NA. Meant for setups where the
/// address is deliberately not on an interface (kube-proxy IPVS with strictARP, announce-only), so the kernel
/// does not answer. Addresses on <c>kube-lb0</c> are routed, never ARPed, and are left to the routing modes.
/// </summary>
public sealed partial class L2Mode : IAnnouncerMode
{
    public const string ModeName = "l2";
    public const int DefaultRealtimePriority = 10;

    private readonly IReadOnlyList<string> _configuredInterfaces;
    private readonly string? _namespaceName;
    private readonly AnnouncementOptions _announcements;
    private readonly ILogger<L2Mode> _logger;
    private readonly L2Responder _responder;
    private readonly List<AddressAnnouncer> _announcers = [];
    private readonly List<Task> _pendingAnnouncements = [];
    private readonly CancellationTokenSource _stop = new();
    private HashSet<IPAddress> _owned = [];

    /// <param name="interfaces">Interfaces to answer on; empty means the interface of the default route.</param>
    /// <param name="namespaceName">Network namespace to work in (tests); null for the process's own.</param>
    /// <param name="realtimePriority">
    /// SCHED_RR priority of the responder threads (default 10, like keepalived's <c>vrrp_rt_priority</c>; null for
    /// normal scheduling). On a busy node this keeps replies within 2x of the kernel's (docs/benchmarks.md);
    /// without CAP_SYS_NICE the mode logs a warning and runs normally.
    /// </param>
    public L2Mode(
        IReadOnlyList<string> interfaces,
        ILogger<L2Mode> logger,
        AnnouncementOptions? announcements = null,
        string? namespaceName = null,
        int? realtimePriority = DefaultRealtimePriority)
    {
        _configuredInterfaces = interfaces ?? throw new ArgumentNullException(nameof(interfaces));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _announcements = announcements ?? new AnnouncementOptions();
        _namespaceName = namespaceName;
        _responder = new L2Responder(logger, realtimePriority);
    }

    public string Name => ModeName;

    /// <summary>Interfaces the mode answers on (known after <see cref="StartAsync"/>).</summary>
    public IReadOnlyList<string> Interfaces { get; private set; } = [];

    /// <summary>Frames received, answered, ignored and dropped as malformed.</summary>
    public ResponderCounters Counters => _responder.Counters;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interfaces = _configuredInterfaces.Count > 0
            ? _configuredInterfaces
            : [DefaultRouteInterface.Find() ?? throw new InvalidOperationException(
                "l2 mode: no interface configured and no IPv4 default route to pick one from; set Interfaces")];
        foreach (var name in interfaces)
        {
            _responder.Listen(name, _namespaceName);
            _announcers.Add(AddressAnnouncer.Open(name, _namespaceName));
        }

        Interfaces = [.. interfaces];
        LogStarted(_logger, string.Join(", ", Interfaces));
        return Task.CompletedTask;
    }

    public Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var wanted = desired.OfKind(AddressKind.LocalOwner).Select(a => a.Address).ToHashSet();
        var gained = wanted.Where(a => !_owned.Contains(a)).ToList();
        var lost = _owned.Count(a => !wanted.Contains(a));
        _responder.SetOwnedAddresses(wanted);
        _owned = wanted;

        // Answering starts at once; announcements repeat in the background so a later apply is not delayed.
        _pendingAnnouncements.RemoveAll(t => t.IsCompleted);
        foreach (var address in gained)
        {
            foreach (var announcer in _announcers)
            {
                _pendingAnnouncements.Add(AnnounceAsync(announcer, address));
            }
        }

        if (gained.Count + lost > 0)
        {
            LogApplied(_logger, wanted.Count, gained.Count, lost);
        }

        return Task.FromResult(ApplyOutcome.Applied(gained.Count + lost));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_pendingAnnouncements);
        await _responder.DisposeAsync();
        foreach (var announcer in _announcers)
        {
            announcer.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AnnounceAsync(AddressAnnouncer announcer, IPAddress address)
    {
        try
        {
            await announcer.AnnounceAsync(address, _announcements, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (System.Net.Sockets.SocketException e)
        {
            LogAnnounceFailed(_logger, address, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "l2 mode answering ARP/NDP on {Interfaces}")]
    private static partial void LogStarted(ILogger logger, string interfaces);

    [LoggerMessage(Level = LogLevel.Information, Message = "l2 mode now answers for {Count} addresses ({Gained} gained, {Lost} lost)")]
    private static partial void LogApplied(ILogger logger, int count, int gained, int lost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce {Address}: {Error}")]
    private static partial void LogAnnounceFailed(ILogger logger, IPAddress address, string error);
}
