using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// When an owner defends an address another host claims (RFC 5227 section 2.4, and its NDP equivalent), per address:
/// <list type="bullet">
/// <item>at most one defending announcement per <see cref="Interval"/>. A claim inside the interval is not forgotten: one
/// defence goes when the interval ends, if the address is still ours then, so the owner has the last word even against a
/// host that announces in bursts (a gratuitous ARP burst of 3 every 200 ms would otherwise leave clients on its MAC after
/// our single answer to the first);</item>
/// <item>at most <see cref="DefencesPerEpisode"/> defences per conflict <em>episode</em>: claims no more than
/// <see cref="QuietPeriod"/> apart. After the last one the address is given up on the wire: no more defending
/// announcements while claims keep arriving, and a claim after a quiet period starts a new episode. A lasting double
/// owner (a node cut off from the bus keeps its addresses; the heir took a copy) thus ends with clients on whoever
/// announced last, a stable state, instead of neighbour entries flapping between two MACs once per interval (each flip
/// resets the TCP connections that moved to a node without their conntrack state), as RFC 5227 (b)/(c) defends once and
/// does not fight forever.</item>
/// </list>
/// Ownership changes neither start nor end an episode: winning an address back inside an episode does not buy new
/// defences. Pure: time comes in as an argument (monotonic).
/// </summary>
public sealed class DefenceSchedule
{
    /// <summary>
    /// RFC 5227's DEFEND_INTERVAL is 10 s, for hosts that configured an address themselves and give it up on a second
    /// conflict. Here the election, not the wire, decides who owns an address, and the interval bounds how long clients
    /// may stay on a foreign MAC after repeated claims inside an episode: 1 s keeps that window within the same order as
    /// a failover (default detection 100-150 ms) instead of 10 s, for at most one frame per second per address.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// 3: the transient double owner the defence exists for (a node that processed heartbeats late) yields within
    /// milliseconds and needs one defence; a gratuitous ARP burst of 3 needs the owner's last word after it (the immediate
    /// defence and the one at the end of the interval); a conflict that needs more is a lasting one that only the bus's
    /// return resolves, and defending it further only makes clients flap.
    /// </summary>
    public const int DefaultDefencesPerEpisode = 3;

    /// <summary>RFC 5227's DEFEND_INTERVAL: no foreign claim for this long ends an episode.</summary>
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Claimants named per episode, at most this many (forged frames may carry any number of MACs).</summary>
    public const int ClaimantsPerEpisode = 8;

    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Dictionary<IPAddress, SortedSet<string>> _claimants = [];

    public DefenceSchedule(TimeSpan interval)
        : this(interval, DefaultDefencesPerEpisode, DefaultQuietPeriod)
    {
    }

    public DefenceSchedule(TimeSpan interval, int defencesPerEpisode, TimeSpan quietPeriod)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the defence interval must be positive");
        }

        if (defencesPerEpisode < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(defencesPerEpisode), defencesPerEpisode, "at least one defence per conflict episode");
        }

        if (quietPeriod < interval)
        {
            throw new ArgumentOutOfRangeException(nameof(quietPeriod), quietPeriod, $"the quiet period that ends a conflict episode must be at least the defence interval ({interval})");
        }

        Interval = interval;
        DefencesPerEpisode = defencesPerEpisode;
        QuietPeriod = quietPeriod;
    }

    public TimeSpan Interval { get; }

    public int DefencesPerEpisode { get; }

    public TimeSpan QuietPeriod { get; }

    /// <summary>Addresses remembered (a claim within the last quiet period, or a deferred defence pending).</summary>
    public int Tracked => _entries.Count;

    /// <summary>Addresses with a deferred defence pending.</summary>
    public int Pending => _entries.Values.Count(e => e.Pending);

    /// <summary>
    /// Another host claimed <paramref name="address"/> at <paramref name="now"/>. <paramref name="owned"/>: whether the
    /// election currently gives it to this node. <paramref name="claimant"/>: who claims it (a MAC), remembered for the
    /// episode's report (<see cref="Claimants"/>). <see cref="DefenceOutcome.Defended"/> means: send one announcement now.
    /// </summary>
    public DefenceOutcome Claimed(IPAddress address, bool owned, TimeSpan now, string? claimant = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var known = _entries.TryGetValue(address, out var entry);
        if (known && now - entry.LastClaim >= QuietPeriod)
        {
            known = false; // a new episode
            _claimants.Remove(address);
        }

        if (claimant is not null && (owned || known))
        {
            var claimants = _claimants.TryGetValue(address, out var seen) ? seen : _claimants[address] = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            if (claimants.Count < ClaimantsPerEpisode)
            {
                claimants.Add(claimant);
            }
        }

        if (!owned)
        {
            // Nothing pending for an address we no longer hold; the episode goes on (a claim is a claim) so that winning
            // the address back does not buy new defences.
            if (known)
            {
                _entries[address] = entry with { Pending = false, LastClaim = now };
            }

            return DefenceOutcome.NotOwned;
        }

        if (!known)
        {
            _entries[address] = new Entry(now, now, Defences: 1, Pending: false, GaveUp: false);
            return DefenceOutcome.Defended;
        }

        if (entry.Defences >= DefencesPerEpisode)
        {
            _entries[address] = entry with { LastClaim = now, GaveUp = true };
            return entry.GaveUp ? DefenceOutcome.GivenUp : DefenceOutcome.GaveUp;
        }

        if (now - entry.LastDefence >= Interval)
        {
            _entries[address] = entry with { LastDefence = now, LastClaim = now, Defences = entry.Defences + 1, Pending = false };
            return DefenceOutcome.Defended;
        }

        _entries[address] = entry with { LastClaim = now, Pending = true };
        return entry.Pending ? DefenceOutcome.Suppressed : DefenceOutcome.Deferred;
    }

    /// <summary>The claimants seen in <paramref name="address"/>'s current episode (at most <see cref="ClaimantsPerEpisode"/>).</summary>
    public IReadOnlyCollection<string> Claimants(IPAddress address) =>
        _claimants.TryGetValue(address, out var claimants) ? [.. claimants] : [];

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
    /// recorded as sent now and counts towards its episode. Deferred defences of addresses no longer ours are dropped.
    /// Episodes quiet for <see cref="QuietPeriod"/> with nothing pending are forgotten, so memory follows recent claims,
    /// not history.
    /// </summary>
    public IReadOnlyList<IPAddress> Due(TimeSpan now, Func<IPAddress, bool> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        List<IPAddress>? due = null;
        List<IPAddress>? dropped = null;
        List<IPAddress>? forget = null;
        foreach (var (address, entry) in _entries)
        {
            if (entry.Pending && now - entry.LastDefence >= Interval)
            {
                if (owned(address))
                {
                    (due ??= []).Add(address);
                }
                else
                {
                    (dropped ??= []).Add(address);
                }
            }
            else if (!entry.Pending && now - entry.LastClaim >= QuietPeriod)
            {
                (forget ??= []).Add(address);
            }
        }

        foreach (var address in forget ?? [])
        {
            _entries.Remove(address);
            _claimants.Remove(address);
        }

        foreach (var address in dropped ?? [])
        {
            _entries[address] = _entries[address] with { Pending = false };
        }

        foreach (var address in due ?? [])
        {
            var entry = _entries[address];
            _entries[address] = entry with { LastDefence = now, Defences = entry.Defences + 1, Pending = false };
        }

        return (IReadOnlyList<IPAddress>?)due ?? [];
    }

    /// <summary>One address's conflict episode: defences sent in it, the last one, the last foreign claim.</summary>
    private readonly record struct Entry(TimeSpan LastDefence, TimeSpan LastClaim, int Defences, bool Pending, bool GaveUp);
}
