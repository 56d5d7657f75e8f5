using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// Makes the kernel match a plan, one kernel batch per step: removes what we no longer hold first (losing is immediate), adds what we gained,
/// announces won node-local addresses to the LAN, refreshes lifetimes on request, and publishes one announcement per
/// (service, address) whose role changed. Not thread-safe: the agent loop is its only caller.
/// </summary>
public sealed partial class Reconciler : IDisposable
{
    private readonly LocalNode _self;
    private readonly IAddressTable _table;
    private readonly INeighbourAnnouncer _neighbours;
    private readonly IAnnouncementSink _sink;
    private readonly AgentMetrics _metrics;
    private GarpSettings _garp = new(true, 1, TimeSpan.Zero, TimeSpan.Zero);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string[] _interfaces;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<PlumbedAddress, CancellationTokenSource> _bursts = [];
    private readonly Lock _burstsGate = new();
    private readonly IOwnedAddresses? _owned;
    private HashSet<PlumbedAddress> _toldOwned = [];

    public Reconciler(
        LocalNode self,
        IAddressTable table,
        INeighbourAnnouncer neighbours,
        IAnnouncementSink sink,
        AgentMetrics metrics,
        AddressLifetimes lifetimes,
        TimeProvider time,
        ILogger<Reconciler> logger,
        IOwnedAddresses? owned = null)
    {
        _self = self ?? throw new ArgumentNullException(nameof(self));
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _neighbours = neighbours ?? throw new ArgumentNullException(nameof(neighbours));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Lifetimes = lifetimes;
        _interfaces = [.. self.LocalInterfaces, self.DummyInterface];
        _owned = owned;
    }

    /// <summary>Lifetimes given to addresses plumbed or refreshed from now on (an LBNodeAgent may change them at run time).</summary>
    public AddressLifetimes Lifetimes { get; set; }

    /// <summary>
    /// Whether and when won node-local addresses are announced to the LAN (count and interval are the announcer's).
    /// Disabled: no gratuitous ARP/NA at all, the address still answers ARP/NDP.
    /// </summary>
    public GarpSettings Garp
    {
        get => Volatile.Read(ref _garp);
        set => Volatile.Write(ref _garp, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The last plan applied (what we announce).</summary>
    public AddressPlan Applied { get; private set; } = AddressPlan.Empty;

    /// <summary>Whether at least one pass has run.</summary>
    public bool HasReconciled { get; private set; }

    /// <summary>
    /// One pass. <paramref name="refresh"/> also re-plumbs what is already in place, restarting its lifetime.
    /// <paramref name="reason"/> goes into announcements ("elected", "peer lost", "shutting down"…).
    /// Returns false when any kernel operation failed (the next pass retries).
    /// </summary>
    public bool Apply(AddressPlan plan, string reason, bool refresh)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ok = true;
        IReadOnlyList<PlumbedAddress> present;
        try
        {
            present = _table.ListOurs(_interfaces);
        }
        catch (PlumbingFailedException e)
        {
            _metrics.PlumbingFailed("list");
            LogPlumbingFailed(_logger, "list", "addresses", e.Message);
            present = [];
            ok = false;
            refresh = true; // we cannot tell what is there: (re)plumbing everything planned is safe and idempotent
        }

        var diff = PlumbingDiff.Between(plan, present);
        // The conflict watch stops defending what we give up before it goes, and starts on what we win once it is there.
        var owners = _owned is null ? [] : plan.Addresses.Where(a => a.Role == AnnouncementRole.Owner).Select(a => a.Plumbing).ToHashSet();
        if (diff.Remove.Count > 0)
        {
            TellOwned([.. _toldOwned.Where(owners.Contains)]);
        }

        foreach (var removed in diff.Remove)
        {
            StopAnnouncing(removed);
        }

        ok &= Batch("remove", diff.Remove, () => _table.Unplumb(diff.Remove)).Count == 0;

        var adds = diff.Add.Select(a => a.Plumbing).ToList();
        var failedAdds = Batch("add", adds, () => _table.Plumb(adds, Lifetimes));
        ok &= failedAdds.Count == 0;
        foreach (var added in diff.Add.Where(a => a.Role == AnnouncementRole.Owner && !failedAdds.Contains(a.Plumbing)))
        {
            StartAnnouncing(added.Plumbing);
        }

        owners.ExceptWith(failedAdds);
        TellOwned(owners);

        if (refresh)
        {
            var kept = diff.Keep.Select(k => k.Plumbing).ToList();
            ok &= Batch("refresh", kept, () => _table.Plumb(kept, Lifetimes)).Count == 0;
        }

        Publish(AnnouncementChange.Between(Applied, plan), reason);
        // A refresh or a wake that changes nothing keeps the plan already applied: the new, equal one then dies young
        // instead of surviving into the old generation at every lifetime refresh (a plan holds every address: 1,000
        // with 1,000 Services; docs/benchmarks.md, "Footprint").
        Applied = plan.SameAs(Applied) ? Applied : plan;
        HasReconciled = true;
        _metrics.Held(plan.Count(AnnouncementRole.Owner), plan.Count(AnnouncementRole.Member));
        _metrics.Reconciled();
        if (diff.ChangesAnything)
        {
            LogReconciled(_logger, diff.Add.Count, diff.Remove.Count, plan.Addresses.Count, reason);
        }

        return ok;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Tells the conflict watch what we own, when that changed.</summary>
    private void TellOwned(HashSet<PlumbedAddress> owned)
    {
        if (_owned is not null && !owned.SetEquals(_toldOwned))
        {
            _owned.Owned(owned);
            _toldOwned = owned;
        }
    }

    /// <summary>One kernel batch; returns the addresses that failed (all of them when the kernel could not be asked), each logged.</summary>
    private HashSet<PlumbedAddress> Batch(string operation, IReadOnlyList<PlumbedAddress> addresses, Func<IReadOnlyList<PlumbingFailure>> action)
    {
        if (addresses.Count == 0)
        {
            return [];
        }

        IReadOnlyList<PlumbingFailure> failures;
        try
        {
            failures = action();
        }
        catch (PlumbingFailedException e)
        {
            failures = [.. addresses.Select(a => new PlumbingFailure(a, e.Message))];
        }

        foreach (var failure in failures)
        {
            _metrics.PlumbingFailed(operation);
            LogPlumbingFailed(_logger, operation, failure.Address.ToString(), failure.Error);
        }

        return [.. failures.Select(f => f.Address)];
    }

    /// <summary>
    /// Called directly, not through the thread pool: the first gratuitous ARP/NA goes out on this thread right after the
    /// address is plumbed (a packet-socket send does not block), which is what moves clients on a takeover; the repeats
    /// continue asynchronously after the first await.
    /// </summary>
    private void StartAnnouncing(PlumbedAddress address)
    {
        var garp = Garp;
        if (garp.Sends)
        {
            var burst = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            lock (_burstsGate)
            {
                if (_bursts.Remove(address, out var previous))
                {
                    previous.Cancel();
                }

                _bursts[address] = burst;
            }

            _ = AnnounceAsync(address, garp.InitialDelay, burst);
        }
    }

    /// <summary>
    /// The rest of a burst for an address we no longer hold is not sent: two nodes that both took an address while
    /// each missed the other's heartbeats announce it at once, and the one that gives it up a few milliseconds later
    /// must not go on announcing its MAC over the owner's (the lab saw clients cut off for 8-9 s, until their own
    /// neighbour probing found the owner).
    /// </summary>
    private void StopAnnouncing(PlumbedAddress address)
    {
        lock (_burstsGate)
        {
            if (_bursts.Remove(address, out var burst))
            {
                burst.Cancel();
            }
        }
    }

    private async Task AnnounceAsync(PlumbedAddress address, TimeSpan initialDelay, CancellationTokenSource burst)
    {
        try
        {
            if (initialDelay > TimeSpan.Zero)
            {
                await Task.Delay(initialDelay, _time, burst.Token).ConfigureAwait(false);
            }

            await _neighbours.AnnounceAsync(address.Interface, address.Address, burst.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Withdrawn, or shutting down.
        }
#pragma warning disable CA1031 // A failed gratuitous ARP must not take the agent down; the address is plumbed and answers ARP anyway.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _metrics.PlumbingFailed("announce");
            LogAnnounceFailed(_logger, address.Address, address.Interface, e.Message);
        }
        finally
        {
            lock (_burstsGate)
            {
                if (_bursts.TryGetValue(address, out var current) && ReferenceEquals(current, burst))
                {
                    _bursts.Remove(address);
                }
            }

            // Only cancelled under the gate while still listed, so nobody cancels it after this.
            burst.Dispose();
        }
    }

    private void Publish(IReadOnlyList<AnnouncementChange> changes, string reason)
    {
        var at = _time.GetUtcNow();
        // A failover moves a few addresses and each is worth a line; a burst of 1,000 Services is one line (each
        // address at Debug): formatting and writing a line per address cost more than plumbing it.
        var eachAtInformation = changes.Count <= LoggedOneByOne;
        foreach (var change in changes)
        {
            _metrics.RoleChanged(change.Role);
            if (eachAtInformation)
            {
                LogRoleChanged(_logger, change.Plumbing.Address, change.Service.ToString(), change.Role, change.Plumbing.Interface, reason);
            }
            else if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogRoleChangedInBurst(_logger, change.Plumbing.Address, change.Service.ToString(), change.Role, change.Plumbing.Interface, reason);
            }

            _sink.Publish(new Announcement(_self.Name, change.Service, change.Plumbing.Address.ToString(), change.Plumbing.Interface, change.Role, reason, at));
        }

        if (!eachAtInformation)
        {
            LogRolesChanged(_logger, changes.Count, changes.Count(c => c.Role == AnnouncementRole.Owner), changes.Count(c => c.Role == AnnouncementRole.Member),
                changes.Count(c => c.Role == AnnouncementRole.Withdrawn), reason);
        }
    }

    /// <summary>Up to this many role changes in one pass are logged one line each at Information.</summary>
    public const int LoggedOneByOne = 16;

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Address} for {Service}: {Role} on {Interface} ({Reason})")]
    private static partial void LogRoleChangedInBurst(ILogger logger, IPAddress address, string service, AnnouncementRole role, string @interface, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Changes} Service addresses changed role: {Owner} now Owner, {Member} Member, {Withdrawn} Withdrawn ({Reason}; each at Debug)")]
    private static partial void LogRolesChanged(ILogger logger, int changes, int owner, int member, int withdrawn, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Address} for {Service}: {Role} on {Interface} ({Reason})")]
    private static partial void LogRoleChanged(ILogger logger, IPAddress address, string service, AnnouncementRole role, string @interface, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciled: {Added} added, {Removed} removed, {Held} held ({Reason})")]
    private static partial void LogReconciled(ILogger logger, int added, int removed, int held, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Operation} {Target}: {Error}")]
    private static partial void LogPlumbingFailed(ILogger logger, string operation, string target, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce {Address} on {Interface} to the LAN: {Error}")]
    private static partial void LogAnnounceFailed(ILogger logger, IPAddress address, string @interface, string error);
}
