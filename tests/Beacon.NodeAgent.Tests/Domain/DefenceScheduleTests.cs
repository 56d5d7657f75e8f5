using System.Net;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class DefenceScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Quiet = DefenceSchedule.DefaultQuietPeriod;
    private const int PerEpisode = DefenceSchedule.DefaultDefencesPerEpisode;
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("198.18.0.200"), IPAddress.Parse("198.18.0.201"), IPAddress.Parse("fd00:beac::200")];

    /// <summary>A claim by another host: which address, whether it is ours at that moment, and how long after the previous one (ms).</summary>
    private sealed record Claim(int Address, bool Owned, int AfterMs);

    private static Gen<Claim[]> Claims(Gen<bool> owned) =>
        (from address in Gen.Choose(0, Addresses.Length - 1)
         from isOwned in owned
         from after in Gen.Frequency((6, Gen.Choose(0, 300)), (2, Gen.Choose(300, 2500)), (1, Gen.Choose(9_000, 11_000)))
         select new Claim(address, isOwned, after))
        .ArrayOf();

    /// <summary>Runs the claims the way the watcher does: deferred defences go out when due, before later claims are judged.</summary>
    private static (List<(IPAddress Address, TimeSpan At, int AfterClaims)> Sent, List<(Claim Claim, TimeSpan At, DefenceOutcome Outcome)> Judged) Run(Claim[] claims)
    {
        var schedule = new DefenceSchedule(Interval);
        var owned = new Dictionary<IPAddress, bool>();
        var sent = new List<(IPAddress, TimeSpan, int)>();
        var judged = new List<(Claim, TimeSpan, DefenceOutcome)>();
        var now = TimeSpan.Zero;

        void RunDueUntil(TimeSpan until)
        {
            while (schedule.NextDue() is { } due && due <= until)
            {
                foreach (var address in schedule.Due(due, a => owned.GetValueOrDefault(a)))
                {
                    sent.Add((address, due, judged.Count));
                }
            }
        }

        foreach (var claim in claims)
        {
            now += TimeSpan.FromMilliseconds(claim.AfterMs);
            RunDueUntil(now);
            var address = Addresses[claim.Address];
            owned[address] = claim.Owned;
            var outcome = schedule.Claimed(address, claim.Owned, now);
            judged.Add((claim, now, outcome));
            if (outcome == DefenceOutcome.Defended)
            {
                sent.Add((address, now, judged.Count));
            }
        }

        RunDueUntil(now + (10 * Interval));
        return (sent, judged);
    }

    [Property]
    public Property Never_more_than_one_defence_per_interval_per_address()
    {
        return Prop.ForAll(Claims(Gen.Elements(true, true, true, false)).ToArbitrary(), claims =>
        {
            var (sent, _) = Run(claims);
            return sent.GroupBy(s => s.Address).All(g =>
                g.Select(s => s.At).Order().Zip(g.Select(s => s.At).Order().Skip(1)).All(p => p.Second - p.First >= Interval));
        });
    }

    [Property]
    public Property A_claim_on_an_address_we_do_not_own_never_defends()
    {
        return Prop.ForAll(Claims(Gen.Constant(false)).ToArbitrary(), claims =>
        {
            var (sent, judged) = Run(claims);
            return sent.Count == 0 && judged.All(j => j.Outcome == DefenceOutcome.NotOwned);
        });
    }

    [Property]
    public Property A_deferred_defence_is_not_sent_for_an_address_given_up_meanwhile()
    {
        return Prop.ForAll(Claims(Gen.Elements(true, false)).ToArbitrary(), claims =>
        {
            var (sent, judged) = Run(claims);
            // Ownership as of each moment is the last claim's flag for that address; a send is only ever for an address
            // whose most recent claim (judged before the send) said it was ours.
            return sent.All(s =>
                judged.Take(s.AfterClaims).Where(j => Addresses[j.Claim.Address].Equals(s.Address)).Select(j => (bool?)j.Claim.Owned).LastOrDefault() == true);
        });
    }

    [Property]
    public Property While_an_episode_is_defended_the_owner_has_the_last_word_within_one_interval_of_every_claim()
    {
        return Prop.ForAll(Claims(Gen.Constant(true)).ToArbitrary(), claims =>
        {
            var (sent, judged) = Run(claims);
            return judged.Where(j => j.Outcome is DefenceOutcome.Defended or DefenceOutcome.Deferred or DefenceOutcome.Suppressed).All(j =>
                sent.Any(s => s.Address.Equals(Addresses[j.Claim.Address]) && s.At >= j.At && s.At <= j.At + Interval));
        });
    }

    [Property]
    public Property At_most_three_defences_per_address_between_two_quiet_periods()
    {
        return Prop.ForAll(Claims(Gen.Elements(true, true, true, false)).ToArbitrary(), claims =>
        {
            var (sent, judged) = Run(claims);
            return Addresses.All(address => Episodes(judged, address)
                .All(e => sent.Count(s => s.Address.Equals(address) && s.At >= e.Start && s.At < e.End) <= PerEpisode));
        });
    }

    [Property]
    public Property An_owned_claim_after_a_quiet_period_is_defended_at_once()
    {
        return Prop.ForAll(Claims(Gen.Elements(true, true, true, false)).ToArbitrary(), claims =>
        {
            var (_, judged) = Run(claims);
            return judged.Select((j, i) => (j, i)).Where(x => x.j.Claim.Owned).All(x =>
            {
                var earlier = judged.Take(x.i).LastOrDefault(p => p.Claim.Address == x.j.Claim.Address);
                var quiet = earlier.Claim is null || x.j.At - earlier.At >= Quiet;
                return !quiet || x.j.Outcome == DefenceOutcome.Defended;
            });
        });
    }

    [Property]
    public Property Giving_up_is_reported_once_per_episode_and_only_after_its_defences_are_spent()
    {
        return Prop.ForAll(Claims(Gen.Elements(true, true, true, false)).ToArbitrary(), claims =>
        {
            var (sent, judged) = Run(claims);
            return Addresses.All(address => Episodes(judged, address).All(e =>
            {
                var inEpisode = judged.Where(j => Addresses[j.Claim.Address].Equals(address) && j.At >= e.Start && j.At < e.End).ToList();
                return inEpisode.Count(j => j.Outcome == DefenceOutcome.GaveUp) <= 1
                    && inEpisode.Where(j => j.Outcome is DefenceOutcome.GaveUp or DefenceOutcome.GivenUp)
                        .All(j => sent.Count(s => s.Address.Equals(address) && s.At >= e.Start && s.At <= j.At) == PerEpisode);
            }));
        });
    }

    /// <summary>An address's conflict episodes as the wire shows them: its claims, cut wherever none came for the quiet period.</summary>
    private static List<(TimeSpan Start, TimeSpan End)> Episodes(List<(Claim Claim, TimeSpan At, DefenceOutcome Outcome)> judged, IPAddress address)
    {
        var starts = new List<TimeSpan>();
        TimeSpan? previous = null;
        foreach (var at in judged.Where(j => Addresses[j.Claim.Address].Equals(address)).Select(j => j.At))
        {
            if (previous is null || at - previous >= Quiet)
            {
                starts.Add(at);
            }

            previous = at;
        }

        return [.. starts.Select((start, i) => (start, i + 1 < starts.Count ? starts[i + 1] : TimeSpan.MaxValue))];
    }

    [Fact]
    public void A_lasting_conflict_gets_three_defences_then_none_until_the_claims_stop_for_the_quiet_period()
    {
        var schedule = new DefenceSchedule(Interval);
        var address = Addresses[0];
        var ms = (int m) => TimeSpan.FromMilliseconds(m);

        // Another owner answers each of our defences at once (a ping-pong), for as long as it lasts.
        schedule.Claimed(address, owned: true, ms(0)).Should().Be(DefenceOutcome.Defended);
        schedule.Claimed(address, owned: true, ms(5)).Should().Be(DefenceOutcome.Deferred);
        schedule.Due(ms(1000), _ => true).Should().Equal(address);
        schedule.Claimed(address, owned: true, ms(1005)).Should().Be(DefenceOutcome.Deferred);
        schedule.Due(ms(2000), _ => true).Should().Equal(address);
        schedule.Claimed(address, owned: true, ms(2005)).Should().Be(DefenceOutcome.GaveUp, "three defences are spent");
        schedule.NextDue().Should().BeNull("nothing more goes on the wire");
        schedule.Claimed(address, owned: true, ms(2200)).Should().Be(DefenceOutcome.GivenUp, "reported once");
        schedule.Claimed(address, owned: false, ms(5000)).Should().Be(DefenceOutcome.NotOwned);
        schedule.Claimed(address, owned: true, ms(14_000)).Should().Be(DefenceOutcome.GivenUp, "losing and winning the address back buys no new defences while claims go on");
        schedule.Due(ms(23_999), _ => true).Should().BeEmpty();
        schedule.Tracked.Should().Be(1);
        schedule.Claimed(address, owned: true, ms(24_000)).Should().Be(DefenceOutcome.Defended, "10 s without a claim end the episode");
    }

    [Fact]
    public void A_burst_of_claims_gets_one_defence_at_once_and_one_when_the_interval_ends()
    {
        var schedule = new DefenceSchedule(Interval);
        var address = Addresses[0];

        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(0)).Should().Be(DefenceOutcome.Defended);
        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(200)).Should().Be(DefenceOutcome.Deferred);
        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(400)).Should().Be(DefenceOutcome.Suppressed);
        schedule.NextDue().Should().Be(TimeSpan.FromMilliseconds(1000));
        schedule.Due(TimeSpan.FromMilliseconds(999), _ => true).Should().BeEmpty();
        schedule.Due(TimeSpan.FromMilliseconds(1000), _ => true).Should().Equal(address);
        schedule.NextDue().Should().BeNull();
        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(1500)).Should().Be(DefenceOutcome.Deferred, "the deferred defence at 1 s counts as one");
        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(2600)).Should().Be(DefenceOutcome.Defended);
    }

    [Fact]
    public void Forgets_quiet_addresses_so_memory_follows_recent_claims()
    {
        var schedule = new DefenceSchedule(Interval);
        for (var i = 0; i < 1000; i++)
        {
            schedule.Claimed(new IPAddress(0x0a000000 + i), owned: true, TimeSpan.Zero);
        }

        schedule.Tracked.Should().Be(1000);
        schedule.Due(TimeSpan.FromSeconds(5), _ => true).Should().BeEmpty();
        schedule.Tracked.Should().Be(1000, "an episode is remembered until its claims stop for the quiet period");
        schedule.Due(TimeSpan.FromSeconds(10), _ => true).Should().BeEmpty();
        schedule.Tracked.Should().Be(0);
        schedule.Claimed(new IPAddress(0x0a000000), owned: true, TimeSpan.FromSeconds(10)).Should().Be(DefenceOutcome.Defended);
        schedule.Pending.Should().Be(0);
    }

    [Fact]
    public void Names_the_claimants_of_the_current_episode_only()
    {
        var schedule = new DefenceSchedule(Interval);
        var address = Addresses[0];
        schedule.Claimed(address, owned: true, TimeSpan.Zero, "02:00:00:00:00:0b");
        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(5), "02:00:00:00:00:0c");
        schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(10), "02:00:00:00:00:0B");
        schedule.Claimants(address).Should().Equal("02:00:00:00:00:0b", "02:00:00:00:00:0c");
        for (var i = 0; i < 20; i++)
        {
            schedule.Claimed(address, owned: true, TimeSpan.FromMilliseconds(20 + i), $"02:00:00:00:01:{i:x2}");
        }

        schedule.Claimants(address).Should().HaveCount(DefenceSchedule.ClaimantsPerEpisode, "forged frames cannot grow memory");
        schedule.Claimed(address, owned: true, TimeSpan.FromSeconds(11), "02:00:00:00:00:0d");
        schedule.Claimants(address).Should().Equal("02:00:00:00:00:0d");
        schedule.Due(TimeSpan.FromSeconds(30), _ => true);
        schedule.Claimants(address).Should().BeEmpty();
    }

    [Fact]
    public void The_interval_must_be_positive() =>
        FluentActions.Invoking(() => new DefenceSchedule(TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void An_episode_allows_at_least_one_defence_and_its_quiet_period_is_not_shorter_than_the_interval()
    {
        FluentActions.Invoking(() => new DefenceSchedule(Interval, 0, Quiet)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new DefenceSchedule(Interval, 3, TimeSpan.FromMilliseconds(500))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
