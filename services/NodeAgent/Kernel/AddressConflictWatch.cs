using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// Defends the addresses this node owns on the LAN (RFC 5227 section 2.4 (c), and its NDP equivalent): another host's
/// ARP (request or reply, gratuitous or not) from one of them, or Neighbor Advertisement for one of them, or Neighbor
/// Solicitation sent from one of them, with a MAC not this node's, repoints clients' neighbour caches away from us;
/// while the election still gives the address to this node, one gratuitous ARP / unsolicited NA (override) goes out at
/// once, at most one per address per <see cref="DefenceSchedule.Interval"/> (a claim inside it is answered when it ends)
/// and at most <see cref="DefenceSchedule.DefencesPerEpisode"/> per conflict episode: a lasting double owner is reported
/// once at Error and then left alone on the wire until its claims stop for <see cref="DefenceSchedule.QuietPeriod"/>.
/// A transient double owner, a stale peer or a misconfigured host thus misdirects clients for milliseconds instead of
/// until their neighbour entry ages out (8-9 s were seen in the lab). The capture is not promiscuous (it stays open on the
/// node's main interface): gratuitous ARP and ARP requests are broadcast and unsolicited NAs go to all nodes, so they are
/// seen; an ARP reply or solicited NA to another host, or an NS to another host's solicited-node group, only where the
/// network floods it to us.
/// <para>
/// One libpcap capture per interface that holds owned addresses, with a kernel filter naming exactly those addresses
/// (<see cref="ConflictFilter"/>), read by one thread blocked in poll(2) with no timeout unless a deferred defence is
/// due: a quiet LAN, or ARP about other addresses, costs no wake-up. A node that owns nothing opens nothing.
/// </para>
/// <para>
/// A peer's report that it let go of an address (<see cref="Released"/>) re-announces it once on the same handle when it
/// is ours and was contested recently (<see cref="DefenceSchedule.Released"/>): clients the other owner drew away during a
/// lasting double owner come back when it withdraws, not after their neighbour entry fails.
/// </para>
/// </summary>
public sealed partial class AddressConflictWatch : IOwnedAddresses, IAddressReleases, IDisposable
{
    private const int FramesPerWake = 256;
    private static readonly TimeSpan ReopenAfter = TimeSpan.FromSeconds(1);
    private static readonly IReadOnlyDictionary<IPAddress, string> Nothing = new Dictionary<IPAddress, string>();

    private readonly AgentMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string? _namespaceName;
    private readonly DefenceSchedule _schedule;
    private readonly FrameWaiter _waiter = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, Capture> _captures = new(StringComparer.Ordinal);
    private readonly Lock _startGate = new();
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Peer, IPAddress Address)> _released = new();
    private volatile IReadOnlyDictionary<IPAddress, string> _owned = Nothing;
    private volatile bool _stopping;
    private volatile IReadOnlyDictionary<IPAddress, string> _watched = Nothing;
    private Thread? _thread;
    private TimeSpan? _reopenAt;

    public AddressConflictWatch(AgentMetrics metrics, ILogger<AddressConflictWatch> logger, TimeSpan? interval = null, string? namespaceName = null)
    {
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _schedule = new DefenceSchedule(interval ?? DefenceSchedule.DefaultInterval);
        _namespaceName = namespaceName;
    }

    private TimeSpan Now => _clock.Elapsed;

    /// <summary>The owned addresses the captures currently filter for (diagnostics and tests: the watch is live for them).</summary>
    public IReadOnlyDictionary<IPAddress, string> Watched => _watched;

    public void Owned(IReadOnlyCollection<PlumbedAddress> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (_stopping)
        {
            return;
        }

        var map = new Dictionary<IPAddress, string>();
        foreach (var address in owned)
        {
            map.TryAdd(address.Address, address.Interface);
        }

        _owned = map;
        if (map.Count > 0 && _thread is null)
        {
            lock (_startGate)
            {
                if (_thread is null && !_stopping)
                {
                    _thread = new Thread(Run) { IsBackground = true, Name = "address-defence" };
                    _thread.Start();
                }
            }
        }

        _waiter.Wake();
    }

    /// <summary>
    /// A peer's status no longer lists <paramref name="addresses"/>: the watch thread re-announces the ones that are ours
    /// and were contested recently. Addresses not ours now are dropped here, so a peer's release of others costs no wake-up.
    /// </summary>
    public void Released(string peer, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(addresses);
        var owned = _owned;
        var queued = false;
        foreach (var address in addresses)
        {
            if (owned.ContainsKey(address))
            {
                _released.Enqueue((peer, address));
                queued = true;
            }
        }

        if (queued && !_stopping)
        {
            _waiter.Wake();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _waiter.Wake();
        lock (_startGate)
        {
            if (_thread is null || _thread.Join(TimeSpan.FromSeconds(2)))
            {
                _waiter.Dispose();
            }
        }
    }

    private void Run()
    {
        var buffer = new byte[1600];
        IReadOnlyDictionary<IPAddress, string>? configured = null;
        var open = new List<Capture>();
        var channels = new List<PcapFrameChannel>();
        var readable = Array.Empty<bool>();
        void Refresh()
        {
            open = [.. _captures.Values];
            channels = [.. open.Select(c => c.Channel)];
            readable = new bool[open.Count];
        }

        try
        {
            while (!_stopping)
            {
                try
                {
                    Pass();
                }
#pragma warning disable CA1031 // The watch must never take the agent down: it closes its captures and starts over shortly.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _metrics.PlumbingFailed("conflict-watch");
                    LogWatchFailed(_logger, string.Join(", ", _captures.Keys), e.Message, ReopenAfter);
                    foreach (var name in _captures.Keys.ToList())
                    {
                        Close(name);
                    }

                    configured = null;
                    Refresh();
                    _reopenAt = Now + ReopenAfter;
                    Thread.Sleep(ReopenAfter); // not the waiter: it may be what failed
                }
            }
        }
        finally
        {
            foreach (var capture in _captures.Values)
            {
                capture.Channel.Dispose();
            }

            _captures.Clear();
        }

        void Pass()
        {
            var owned = _owned;
            if (!ReferenceEquals(owned, configured) || (_reopenAt is { } at && Now >= at))
            {
                Configure(owned);
                configured = owned;
                Refresh();
            }

            foreach (var address in _schedule.Due(Now, a => _owned.ContainsKey(a)))
            {
                if (_owned.TryGetValue(address, out var interfaceName))
                {
                    Defend(address, interfaceName, deferred: true);
                }
            }

            while (_released.TryDequeue(out var release))
            {
                Reannounce(release.Peer, release.Address);
            }

            _waiter.Wait(channels, Timeout(), readable);
            for (var i = 0; i < open.Count; i++)
            {
                if (readable[i] && !_stopping)
                {
                    Drain(open[i], buffer);
                }
            }

            if (_captures.Count != open.Count)
            {
                Refresh(); // a capture failed and was closed
            }
        }
    }

    private TimeSpan? Timeout()
    {
        TimeSpan? wakeAt = _schedule.NextDue();
        if (_reopenAt is { } reopen && (wakeAt is null || reopen < wakeAt))
        {
            wakeAt = reopen;
        }

        return wakeAt is { } w ? (w - Now > TimeSpan.Zero ? w - Now : TimeSpan.Zero) : null;
    }

    /// <summary>One capture per interface holding owned addresses, filtered to exactly those; the others closed.</summary>
    private void Configure(IReadOnlyDictionary<IPAddress, string> owned)
    {
        _reopenAt = null;
        _watched = Nothing;
        var wanted = owned.GroupBy(o => o.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ConflictFilter.For([.. g.Select(o => o.Key)]), StringComparer.Ordinal);
        foreach (var name in _captures.Keys.Where(n => !wanted.ContainsKey(n)).ToList())
        {
            Close(name);
        }

        foreach (var (name, filter) in wanted)
        {
            try
            {
                if (_captures.TryGetValue(name, out var capture))
                {
                    if (capture.Filter != filter)
                    {
                        capture.Channel.ChangeFilter(filter);
                        _captures[name] = capture with { Filter = filter };
                    }
                }
                else
                {
                    var channel = PcapFrameChannel.Open(name, filter, promiscuous: false, _namespaceName);
                    _captures[name] = new Capture(name, channel, filter);
                }
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException or SharpPcap.PcapException)
            {
                Close(name);
                _metrics.PlumbingFailed("conflict-watch");
                if (_failing.Add(name))
                {
                    LogWatchFailed(_logger, name, e.Message, ReopenAfter); // once until it works again: a missing interface is retried every second
                }

                _reopenAt = Now + ReopenAfter;
                continue;
            }

            if (_failing.Remove(name))
            {
                LogWatching(_logger, name);
            }
        }

        _watched = owned.Where(o => _captures.ContainsKey(o.Value)).ToDictionary();
    }

    private void Close(string name)
    {
        if (_captures.Remove(name, out var capture))
        {
            capture.Channel.Dispose();
        }
    }

    private void Drain(Capture capture, byte[] buffer)
    {
        for (var i = 0; i < FramesPerWake; i++)
        {
            int length;
            try
            {
                length = capture.Channel.ReceiveNow(buffer);
            }
            catch (SocketException e)
            {
                // The interface went down or away: reopen shortly (its addresses come back through Owned as well).
                Close(capture.Interface);
                _metrics.PlumbingFailed("conflict-watch");
                LogWatchFailed(_logger, capture.Interface, e.Message, ReopenAfter);
                _reopenAt = Now + ReopenAfter;
                return;
            }

            if (length == 0)
            {
                return;
            }

            if (!AddressClaim.TryRead(buffer.AsSpan(0, length), out var claim, out var rejection))
            {
                if (rejection != FrameRejection.None)
                {
                    _metrics.ConflictFrameIgnored(rejection);
                }

                continue;
            }

            Judge(capture, claim!);
        }
    }

    private void Judge(Capture capture, AddressClaim claim)
    {
        if (IsOurs(claim.Mac))
        {
            return; // another of our interfaces, or our own frame
        }

        var owned = _owned;
        var ours = owned.TryGetValue(claim.Address, out var interfaceName);
        if (!ours && capture.Filter == ConflictFilter.AnyClaim)
        {
            return; // the family-wide filter lets every ARP/NDP frame of the LAN through: most claim other hosts' addresses
        }

        var outcome = _schedule.Claimed(claim.Address, ours, Now, claim.Mac.ToString());
        _metrics.AddressConflict(claim.Family, outcome);
        switch (outcome)
        {
            case DefenceOutcome.Defended:
                LogConflict(_logger, claim.Address, claim.Mac.ToString(), capture.Interface, "defended at once");
                Defend(claim.Address, interfaceName!, deferred: false);
                break;
            case DefenceOutcome.Deferred:
                LogConflict(_logger, claim.Address, claim.Mac.ToString(), capture.Interface,
                    $"suppressed (defended less than {_schedule.Interval.TotalMilliseconds:0} ms ago): defending once more when that interval ends");
                break;
            case DefenceOutcome.Suppressed:
                LogSuppressed(_logger, claim.Address, claim.Mac.ToString(), capture.Interface);
                break;
            case DefenceOutcome.GaveUp:
                LogGaveUp(_logger, claim.Address, string.Join(", ", _schedule.Claimants(claim.Address)), capture.Interface, _schedule.DefencesPerEpisode, _schedule.QuietPeriod.TotalSeconds);
                break;
            case DefenceOutcome.GivenUp:
                LogStillGivenUp(_logger, claim.Address, claim.Mac.ToString(), capture.Interface);
                break;
            default:
                LogNotOwned(_logger, claim.Address, claim.Mac.ToString(), capture.Interface);
                break;
        }
    }

    private bool IsOurs(MacAddress mac)
    {
        foreach (var capture in _captures.Values)
        {
            if (capture.Channel.Mac == mac)
            {
                return true;
            }
        }

        return false;
    }

    private void Defend(IPAddress address, string interfaceName, bool deferred)
    {
        if (Announce(address, interfaceName, "defend"))
        {
            _metrics.AddressDefended(AddressClaim.FamilyOf(address));
            if (deferred)
            {
                LogDeferredDefence(_logger, address, interfaceName);
            }
        }
    }

    /// <summary>A peer let go of <paramref name="address"/>: one announcement if it is ours and was contested recently.</summary>
    private void Reannounce(string peer, IPAddress address)
    {
        var ours = _owned.TryGetValue(address, out var interfaceName);
        var outcome = _schedule.Released(address, ours, Now);
        if (outcome != ReleaseOutcome.Reannounce)
        {
            LogNotReannounced(_logger, address, peer, outcome);
            return;
        }

        if (Announce(address, interfaceName!, "reannounce"))
        {
            _metrics.AddressReannounced(AddressClaim.FamilyOf(address));
            LogReannounced(_logger, address, interfaceName!, peer);
        }
    }

    /// <summary>
    /// One gratuitous ARP / unsolicited NA (override) on the capture's own handle: no other socket, sent at once. The one
    /// send path of defences and re-announcements. False when it could not go out (the failure logged and counted).
    /// </summary>
    private bool Announce(IPAddress address, string interfaceName, string operation)
    {
        if (!_captures.TryGetValue(interfaceName, out var capture))
        {
            return false; // its capture failed; reopened shortly
        }

        try
        {
            capture.Channel.Send(Announcements.For(address, capture.Channel.Mac));
            return true;
        }
        catch (SocketException e)
        {
            Close(interfaceName);
            _metrics.PlumbingFailed(operation);
            LogDefenceFailed(_logger, address, interfaceName, e.Message);
            _reopenAt = Now + TimeSpan.FromMilliseconds(1); // reopened at once, like the announcer's second try
            return false;
        }
    }

    private sealed record Capture(string Interface, PcapFrameChannel Channel, string Filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Address conflict on {Interface}: {ForeignMac} claims {Address}, which this node owns: {Outcome}")]
    private static partial void LogConflict(ILogger logger, IPAddress address, string foreignMac, string @interface, string outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Address conflict on {Interface}: {ForeignMac} claims {Address} again: suppressed, a defence is already due")]
    private static partial void LogSuppressed(ILogger logger, IPAddress address, string foreignMac, string @interface);

    [LoggerMessage(Level = LogLevel.Error, Message = "Address conflict on {Interface} lasts: {ForeignMacs} claim {Address} again after {Defences} defences; no longer defending it on the wire until its claims stop for {QuietSeconds:0} s. Another host owns it too: a Beacon node cut off from NATS (check each agent's bus connectivity and \"Bus unreachable\" logs) or a host with a static copy of the address (find the MAC in the switch's table); see docs/operations.md, \"Address conflicts\"")]
    private static partial void LogGaveUp(ILogger logger, IPAddress address, string foreignMacs, string @interface, int defences, double quietSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Address conflict on {Interface}: {ForeignMac} claims {Address} again: given up on the wire for this episode")]
    private static partial void LogStillGivenUp(ILogger logger, IPAddress address, string foreignMac, string @interface);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{ForeignMac} claims {Address} on {Interface}, which this node no longer owns: not defended")]
    private static partial void LogNotOwned(ILogger logger, IPAddress address, string foreignMac, string @interface);

    [LoggerMessage(Level = LogLevel.Information, Message = "Defended {Address} on {Interface} once more, at the end of its defence interval")]
    private static partial void LogDeferredDefence(ILogger logger, IPAddress address, string @interface);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-announced {Address} on {Interface}: {Peer}, which also held it while the two could not see each other, reports it let it go; clients still on {Peer}'s MAC come back now")]
    private static partial void LogReannounced(ILogger logger, IPAddress address, string @interface, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Peer} let go of {Address}: not re-announced ({Outcome})")]
    private static partial void LogNotReannounced(ILogger logger, IPAddress address, string peer, ReleaseOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce {Address} on {Interface}: {Error}")]
    private static partial void LogDefenceFailed(ILogger logger, IPAddress address, string @interface, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Interface} for address conflicts again")]
    private static partial void LogWatching(ILogger logger, string @interface);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Interface} for address conflicts: {Error}; trying again in {Retry}")]
    private static partial void LogWatchFailed(ILogger logger, string @interface, string error, TimeSpan retry);
}
