using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// When an owner defends an address another host claims (RFC 5227 section 2.4 (c), and its NDP equivalent): at most one
/// defending announcement per address per <see cref="Interval"/>. A claim inside the interval is not forgotten: one
/// defence goes when the interval ends, if the address is still ours then, so the last word on the LAN is the owner's
/// even against a host that announces in bursts (a gratuitous ARP burst of 3 every 200 ms would otherwise leave clients
/// on its MAC after our single answer to the first). Two hosts that both think they own an address therefore exchange at
/// most one frame each per interval, never a storm. Pure: time comes in as an argument (monotonic).
/// </summary>
public sealed class DefenceSchedule
{
    /// <summary>
    /// RFC 5227's DEFEND_INTERVAL is 10 s, for hosts that configured an address themselves and give it up on a second
    /// conflict. Here the election, not the wire, decides who owns an address, so the owner never yields to a claim and
    /// the interval only bounds how long clients may stay on a foreign MAC after repeated claims: 1 s keeps that window
    /// within the same order as a failover (default detection 100-150 ms) instead of 10 s, for at most one frame per
    /// second per address.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<IPAddress, Entry> _entries = [];

    public DefenceSchedule(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the defence interval must be positive");
        }

        Interval = interval;
    }

    public TimeSpan Interval { get; }

    /// <summary>Addresses remembered (defended within the last interval, or with a deferred defence pending).</summary>
    public int Tracked => _entries.Count;

    /// <summary>Addresses with a deferred defence pending.</summary>
    public int Pending => _entries.Values.Count(e => e.Pending);

    /// <summary>
    /// Another host claimed <paramref name="address"/> at <paramref name="now"/>. <paramref name="owned"/>: whether the
    /// election currently gives it to this node. <see cref="DefenceOutcome.Defended"/> means: send one announcement now.
    /// </summary>
    public DefenceOutcome Claimed(IPAddress address, bool owned, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!owned)
        {
            // Nothing pending for an address we no longer hold; the last defence still counts should we win it back.
            if (_entries.TryGetValue(address, out var given))
            {
                _entries[address] = given with { Pending = false };
            }

            return DefenceOutcome.NotOwned;
        }

        if (!_entries.TryGetValue(address, out var entry) || now - entry.LastDefence >= Interval)
        {
            _entries[address] = new Entry(now, Pending: false);
            return DefenceOutcome.Defended;
        }

        if (entry.Pending)
        {
            return DefenceOutcome.Suppressed;
        }

        _entries[address] = entry with { Pending = true };
        return DefenceOutcome.Deferred;
    }

    /// <summary>When the earliest deferred defence is due, or null when none is pending.</summary>
    public TimeSpan? NextDue()
    {
        TimeSpan? next = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.Pending && (next is null || entry.LastDefence + Interval < next))
            {
                next = entry.LastDefence + Interval;
            }
        }

        return next;
    }

    /// <summary>
    /// The deferred defences due at <paramref name="now"/> among addresses still ours (<paramref name="owned"/>); each is
    /// recorded as sent now. Deferred defences of addresses no longer ours are dropped. Entries older than an interval
    /// with nothing pending are forgotten, so memory follows recent claims, not history.
    /// </summary>
    public IReadOnlyList<IPAddress> Due(TimeSpan now, Func<IPAddress, bool> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        List<IPAddress>? due = null;
        List<IPAddress>? forget = null;
        foreach (var (address, entry) in _entries)
        {
            if (now - entry.LastDefence < Interval)
            {
                continue;
            }

            if (entry.Pending && owned(address))
            {
                (due ??= []).Add(address);
            }
            else
            {
                (forget ??= []).Add(address);
            }
        }

        foreach (var address in forget ?? [])
        {
            _entries.Remove(address);
        }

        foreach (var address in due ?? [])
        {
            _entries[address] = new Entry(now, Pending: false);
        }

        return (IReadOnlyList<IPAddress>?)due ?? [];
    }

    private readonly record struct Entry(TimeSpan LastDefence, bool Pending);
}
