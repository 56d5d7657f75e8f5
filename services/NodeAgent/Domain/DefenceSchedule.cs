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
/// defences.
/// <para>
/// The end of a lasting double owner is not seen on the wire (the other owner just stops holding the address, silently);
/// its own report on the bus says so, and <see cref="Released"/> then re-announces the address once, outside the
/// episode's count, if it is ours and was contested recently: its episode is open (a claim within the quiet period) or
/// was given up while the address stayed ours (remembered, however long ago, until that re-announce, a new episode, or
/// the address stops being ours). Pure: time comes in as an argument (monotonic).
/// </para>
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

    /// <summary>Addresses whose episode was given up and ended (quiet) while they stayed ours, not yet re-announced.</summary>
    private readonly HashSet<IPAddress> _givenUp = [];

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

    /// <summary>Addresses whose given-up episode has ended while they stayed ours, awaiting the other owner's release.</summary>
    public int GivenUpAndQuiet => _givenUp.Count;

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

        _givenUp.Remove(address); // the entry below tracks it again
        entry = entry with { Reannounced = false }; // a new claim: the next release is answered again

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
            _entries[address] = new Entry(now, now, Defences: 1, Pending: false, GaveUp: false, Reannounced: false);
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
            if (_entries[address] is { GaveUp: true, Reannounced: false } && owned(address))
            {
                _givenUp.Add(address); // the other owner may still hold it: its release is still worth a re-announce
            }

            _entries.Remove(address);
            _claimants.Remove(address);
        }

        if (_givenUp.Count > 0)
        {
            _givenUp.RemoveWhere(a => !owned(a));
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

    /// <summary>
    /// A peer that held <paramref name="address"/> reports on the bus that it no longer does (see
    /// <see cref="ReleasedAddresses"/>). <paramref name="owned"/>: whether the election (the reconciler's last applied plan)
    /// gives it to this node. <see cref="ReleaseOutcome.Reannounce"/> (send one announcement now) when it is ours and
    /// contested recently: its episode is open (a foreign claim less than <see cref="QuietPeriod"/> ago), or it was given
    /// up (however long ago, while the address stayed ours). Once per claim: a second release without a foreign claim in
    /// between sends nothing. Not a defence: the episode's count and deferred defence are left as they are.
    /// </summary>
    public ReleaseOutcome Released(IPAddress address, bool owned, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!owned)
        {
            return ReleaseOutcome.NotOwned;
        }

        if (_givenUp.Remove(address))
        {
            return ReleaseOutcome.Reannounce;
        }

        if (_entries.TryGetValue(address, out var entry) && !entry.Reannounced && (entry.GaveUp || now - entry.LastClaim < QuietPeriod))
        {
            _entries[address] = entry with { Reannounced = true };
            return ReleaseOutcome.Reannounce;
        }

        return ReleaseOutcome.NoConflict;
    }

    /// <summary>
    /// One address's conflict episode: defences sent in it, the last one, the last foreign claim, whether it was given up,
    /// and whether a peer's release was answered since the last claim.
    /// </summary>
    private readonly record struct Entry(TimeSpan LastDefence, TimeSpan LastClaim, int Defences, bool Pending, bool GaveUp, bool Reannounced);
}
