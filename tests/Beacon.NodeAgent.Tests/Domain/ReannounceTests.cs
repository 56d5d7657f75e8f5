using System.Net;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// The re-announce rule of <see cref="DefenceSchedule.Released"/>: once a peer that also held an address reports it let
/// it go, the owner announces it once, if it is ours and contested recently (an open episode, or one given up while the
/// address stayed ours); never for an address not ours or never claimed, once per claim, and never at the expense of
/// the episode's defences.
/// </summary>
public sealed class ReannounceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Quiet = DefenceSchedule.DefaultQuietPeriod;
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("198.18.0.200"), IPAddress.Parse("198.18.0.201"), IPAddress.Parse("fd00:beac::200")];

    /// <summary>
    /// A foreign claim (<paramref name="Release"/> false) or a peer's release, of one address, ms after the previous event;
    /// <paramref name="Owned"/>: whether a claim finds the address ours (a release does not change ownership: it finds it
    /// as the last claim left it).
    /// </summary>
    private sealed record Event(bool Release, int Address, bool Owned, int AfterMs);

    private sealed record Judged(Event Event, TimeSpan At, bool Owned, DefenceOutcome? Claim, ReleaseOutcome? Release);

    private static Gen<Event[]> Events(Gen<bool> owned) =>
        (from release in Gen.Elements(false, false, true)
         from address in Gen.Choose(0, Addresses.Length - 1)
         from isOwned in owned
         from after in Gen.Frequency((6, Gen.Choose(0, 300)), (2, Gen.Choose(300, 2500)), (1, Gen.Choose(9_000, 11_000)), (1, Gen.Choose(20_000, 300_000)))
         select new Event(release, address, isOwned, after))
        .ArrayOf();

    /// <summary>The way the watch runs: deferred defences when due, and every wake runs <see cref="DefenceSchedule.Due"/> first.</summary>
    private static (List<(IPAddress Address, TimeSpan At)> Defences, List<Judged> Judged) Run(IEnumerable<Event> events)
    {
        var schedule = new DefenceSchedule(Interval);
        var owned = new Dictionary<IPAddress, bool>();
        var defences = new List<(IPAddress, TimeSpan)>();
        var judged = new List<Judged>();
        var now = TimeSpan.Zero;
        bool Owned(IPAddress a) => owned.GetValueOrDefault(a);

        foreach (var e in events)
        {
            now += TimeSpan.FromMilliseconds(e.AfterMs);
            while (schedule.NextDue() is { } due && due <= now)
            {
                defences.AddRange(schedule.Due(due, Owned).Select(a => (a, due)));
            }

            defences.AddRange(schedule.Due(now, Owned).Select(a => (a, now)));
            var address = Addresses[e.Address];
            if (e.Release)
            {
                judged.Add(new Judged(e, now, Owned(address), null, schedule.Released(address, Owned(address), now)));
            }
            else
            {
                owned[address] = e.Owned;
                var outcome = schedule.Claimed(address, e.Owned, now);
                judged.Add(new Judged(e, now, e.Owned, outcome, null));
                if (outcome == DefenceOutcome.Defended)
                {
                    defences.Add((address, now));
                }
            }
        }

        while (schedule.NextDue() is { } last)
        {
            defences.AddRange(schedule.Due(last, Owned).Select(a => (a, last)));
        }

        return (defences, judged);
    }

    [Property]
    public Property Nothing_is_reannounced_for_an_address_not_ours()
    {
        return Prop.ForAll(Events(Gen.Elements(true, false)).ToArbitrary(), events =>
            Run(events).Judged.Where(j => j.Release is not null && !j.Owned).All(j => j.Release == ReleaseOutcome.NotOwned));
    }

    [Property]
    public Property Each_reannouncement_answers_a_foreign_claim_not_answered_before()
    {
        return Prop.ForAll(Events(Gen.Elements(true, true, false)).ToArbitrary(), events =>
        {
            var judged = Run(events).Judged;
            return judged.Select((j, i) => (j, i)).Where(x => x.j.Release == ReleaseOutcome.Reannounce).All(x =>
            {
                var earlier = judged.Take(x.i).Where(p => p.Event.Address == x.j.Event.Address).ToList();
                var lastClaim = earlier.FindLastIndex(p => p.Claim is not null);
                var lastReannounce = earlier.FindLastIndex(p => p.Release == ReleaseOutcome.Reannounce);
                return lastClaim >= 0 && lastClaim > lastReannounce;
            });
        });
    }

    [Property]
    public Property Releases_change_no_defence_and_no_claims_outcome()
    {
        return Prop.ForAll(Events(Gen.Elements(true, true, false)).ToArbitrary(), events =>
        {
            var with = Run(events);
            var without = Run(WithoutReleases(events));
            return with.Defences.SequenceEqual(without.Defences)
                && with.Judged.Where(j => j.Claim is not null).Select(j => j.Claim).SequenceEqual(without.Judged.Select(j => j.Claim));
        });
    }

    [Property]
    public Property A_release_during_an_open_episode_of_an_owned_address_is_reannounced_once()
    {
        return Prop.ForAll(Events(Gen.Elements(true, true, true, false)).ToArbitrary(), events =>
        {
            var judged = Run(events).Judged;
            return judged.Select((j, i) => (j, i)).Where(x => x.j.Release is not null && x.j.Owned).All(x =>
            {
                var earlier = judged.Take(x.i).Where(p => p.Event.Address == x.j.Event.Address).ToList();
                var lastClaim = earlier.FindLastIndex(p => p.Claim is not null);
                var answered = earlier.FindLastIndex(p => p.Release == ReleaseOutcome.Reannounce) > lastClaim;
                var open = lastClaim >= 0 && x.j.At - earlier[lastClaim].At < Quiet;
                return !open || answered || x.j.Release == ReleaseOutcome.Reannounce;
            });
        });
    }

    [Property]
    public Property A_release_after_an_episode_given_up_while_the_address_stayed_ours_is_reannounced_however_late()
    {
        return Prop.ForAll(Events(Gen.Elements(true, true, true, true, false)).ToArbitrary(), events =>
        {
            var judged = Run(events).Judged;
            return judged.Select((j, i) => (j, i)).Where(x => x.j.Release is not null && x.j.Owned).All(x =>
            {
                var earlier = judged.Take(x.i).Where(p => p.Event.Address == x.j.Event.Address).ToList();
                var lastClaim = earlier.FindLastIndex(p => p.Claim is not null);
                if (lastClaim < 0 || earlier[lastClaim].Claim is not (DefenceOutcome.GaveUp or DefenceOutcome.GivenUp))
                {
                    return true;
                }

                var since = earlier.Skip(lastClaim);
                var stayedOurs = since.All(p => p.Owned);
                var answered = since.Any(p => p.Release == ReleaseOutcome.Reannounce);
                return !stayedOurs || answered || x.j.Release == ReleaseOutcome.Reannounce;
            });
        });
    }

    [Property]
    public Property An_address_never_claimed_is_never_reannounced()
    {
        return Prop.ForAll(Events(Gen.Elements(true, false)).ToArbitrary(), events =>
        {
            var releasesOfTheFirst = events.Select(e => e.Address == 0 ? e with { Release = true } : e).ToArray();
            return Run(releasesOfTheFirst).Judged.Where(j => j.Event.Address == 0).All(j => j.Release != ReleaseOutcome.Reannounce);
        });
    }

    [Fact]
    public void A_lasting_double_owner_given_up_is_reannounced_once_when_the_other_owner_lets_go_minutes_later()
    {
        var schedule = new DefenceSchedule(Interval);
        var address = Addresses[0];
        TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

        schedule.Claimed(address, owned: true, Ms(0)).Should().Be(DefenceOutcome.Defended);
        schedule.Claimed(address, owned: true, Ms(1000)).Should().Be(DefenceOutcome.Defended);
        schedule.Claimed(address, owned: true, Ms(2000)).Should().Be(DefenceOutcome.Defended);
        schedule.Claimed(address, owned: true, Ms(3000)).Should().Be(DefenceOutcome.GaveUp);
        schedule.Due(Ms(60_000), _ => true).Should().BeEmpty();
        schedule.Tracked.Should().Be(0, "the episode ended");
        schedule.GivenUpAndQuiet.Should().Be(1, "but the other owner may still hold the address");

        schedule.Released(address, owned: true, Ms(300_000)).Should().Be(ReleaseOutcome.Reannounce);
        schedule.Released(address, owned: true, Ms(300_100)).Should().Be(ReleaseOutcome.NoConflict, "once");
        schedule.GivenUpAndQuiet.Should().Be(0);
        schedule.Claimed(address, owned: true, Ms(301_000)).Should().Be(DefenceOutcome.Defended, "a new episode");
        schedule.Released(address, owned: true, Ms(301_100)).Should().Be(ReleaseOutcome.Reannounce, "a new claim is answered again");
    }

    [Fact]
    public void A_given_up_address_that_stops_being_ours_is_forgotten()
    {
        var schedule = new DefenceSchedule(Interval, defencesPerEpisode: 1, DefenceSchedule.DefaultQuietPeriod);
        var address = Addresses[1];

        schedule.Claimed(address, owned: true, TimeSpan.Zero).Should().Be(DefenceOutcome.Defended);
        schedule.Claimed(address, owned: true, TimeSpan.FromSeconds(1)).Should().Be(DefenceOutcome.GaveUp);
        schedule.Due(TimeSpan.FromSeconds(20), _ => true);
        schedule.GivenUpAndQuiet.Should().Be(1);
        schedule.Due(TimeSpan.FromSeconds(30), _ => false);

        schedule.GivenUpAndQuiet.Should().Be(0);
        schedule.Released(address, owned: true, TimeSpan.FromSeconds(40)).Should().Be(ReleaseOutcome.NoConflict, "lost and won back: clients were told by the takeover's own announcements");
        schedule.Released(address, owned: false, TimeSpan.FromSeconds(40)).Should().Be(ReleaseOutcome.NotOwned);
    }

    [Fact]
    public void A_release_without_any_claim_or_after_a_quiet_episode_that_was_not_given_up_sends_nothing()
    {
        var schedule = new DefenceSchedule(Interval);
        schedule.Released(Addresses[0], owned: true, TimeSpan.Zero).Should().Be(ReleaseOutcome.NoConflict);
        schedule.Claimed(Addresses[0], owned: true, TimeSpan.FromSeconds(1)).Should().Be(DefenceOutcome.Defended);
        schedule.Released(Addresses[0], owned: true, TimeSpan.FromSeconds(11)).Should().Be(ReleaseOutcome.NoConflict, "defended and quiet since: clients are with us");
    }

    private static Event[] WithoutReleases(Event[] events)
    {
        // The releases' time still passes: their delay moves to the next claim.
        var kept = new List<Event>();
        var carried = 0;
        foreach (var e in events)
        {
            if (e.Release)
            {
                carried += e.AfterMs;
                continue;
            }

            kept.Add(e with { AfterMs = e.AfterMs + carried });
            carried = 0;
        }

        return [.. kept];
    }
}
