using System.Net;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class DefenceScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("198.18.0.200"), IPAddress.Parse("198.18.0.201"), IPAddress.Parse("fd00:beac::200")];

    /// <summary>A claim by another host: which address, whether it is ours at that moment, and how long after the previous one (ms).</summary>
    private sealed record Claim(int Address, bool Owned, int AfterMs);

    private static Gen<Claim[]> Claims(Gen<bool> owned) =>
        (from address in Gen.Choose(0, Addresses.Length - 1)
         from isOwned in owned
         from after in Gen.Frequency((3, Gen.Choose(0, 300)), (1, Gen.Choose(300, 2500)))
         select new Claim(address, isOwned, after))
        .ArrayOf();

    /// <summary>Runs the claims the way the watcher does: deferred defences go out when due, before later claims are judged.</summary>
    private static (List<(IPAddress Address, TimeSpan At)> Sent, List<(Claim Claim, TimeSpan At, DefenceOutcome Outcome)> Judged) Run(Claim[] claims)
    {
        var schedule = new DefenceSchedule(Interval);
        var owned = new Dictionary<IPAddress, bool>();
        var sent = new List<(IPAddress, TimeSpan)>();
        var judged = new List<(Claim, TimeSpan, DefenceOutcome)>();
        var now = TimeSpan.Zero;

        void RunDueUntil(TimeSpan until)
        {
            while (schedule.NextDue() is { } due && due <= until)
            {
                foreach (var address in schedule.Due(due, a => owned.GetValueOrDefault(a)))
                {
                    sent.Add((address, due));
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
                sent.Add((address, now));
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
            // whose most recent claim (at or before the send) said it was ours.
            return sent.All(s =>
                judged.Where(j => Addresses[j.Claim.Address].Equals(s.Address) && j.At <= s.At).Select(j => (bool?)j.Claim.Owned).LastOrDefault() == true);
        });
    }

    [Property]
    public Property The_owner_has_the_last_word_within_one_interval_of_every_claim()
    {
        return Prop.ForAll(Claims(Gen.Constant(true)).ToArbitrary(), claims =>
        {
            var (sent, judged) = Run(claims);
            return judged.All(j =>
                sent.Any(s => s.Address.Equals(Addresses[j.Claim.Address]) && s.At >= j.At && s.At <= j.At + Interval));
        });
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
        schedule.Tracked.Should().Be(0);
        schedule.Claimed(new IPAddress(0x0a000000), owned: true, TimeSpan.FromSeconds(5)).Should().Be(DefenceOutcome.Defended);
        schedule.Pending.Should().Be(0);
    }

    [Fact]
    public void The_interval_must_be_positive() =>
        FluentActions.Invoking(() => new DefenceSchedule(TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>();
}
