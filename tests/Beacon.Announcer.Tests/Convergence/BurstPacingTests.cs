using Beacon.Announcer.Convergence;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Announcer.Tests.Convergence;

/// <summary>
/// How often the daemon is reconfigured and how long a change waits, on a virtual clock: <see cref="Simulate"/> runs
/// the converger's loop (one apply in flight, changes during it coalesced, each apply taking a fixed time) over a
/// sequence of change times.
/// </summary>
public sealed class BurstPacingTests
{
    private static readonly BurstPacing Pacing = BurstPacing.Default;

    /// <summary>The longest a change can wait for the apply that contains it.</summary>
    private static TimeSpan Bound(TimeSpan duration) =>
        duration + (Pacing.MaxLull > Pacing.MaxGap ? Pacing.MaxLull : Pacing.MaxGap);

    [Fact]
    public void A_thousand_changes_in_one_burst_cost_at_most_two_reconfigurations()
    {
        // 1,000 changes within 100 ms (the first is applied at once, like a lone change; the rest once it settles).
        var changes = Enumerable.Range(0, 1000).Select(i => TimeSpan.FromMilliseconds(i * 0.1)).ToList();

        var applies = Simulate(Pacing, changes, TimeSpan.FromMilliseconds(50));

        applies.Should().HaveCountLessThanOrEqualTo(2);
        applies[^1].Through.Should().Be(changes.Count, "the last apply holds the last change");
    }

    [Fact]
    public void A_lone_change_is_applied_at_once()
    {
        var changes = new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5) };

        var applies = Simulate(Pacing, changes, TimeSpan.FromMilliseconds(300));

        applies.Select(a => a.Start).Should().Equal(changes);
    }

    [Fact]
    public void A_trickle_reconfigures_the_daemon_at_most_a_quarter_of_the_time_and_each_change_waits_a_bounded_time()
    {
        // 1,000 Services arriving over 50 s, each twice (desired state, then the NodeAgent's announcement), applies of
        // 0.4 s: what the loaded lab showed, where applies ran back to back (116 per node).
        var changes = Enumerable.Range(0, 2000).Select(i => TimeSpan.FromMilliseconds(i * 25)).ToList();
        var duration = TimeSpan.FromMilliseconds(400);

        var paced = Simulate(Pacing, changes, duration);
        var backToBack = Simulate(Pacing with { Spacing = 0 }, changes, duration);

        backToBack.Should().HaveCountGreaterThan(110, "without spacing, the trickle keeps the daemon busy");
        paced.Should().HaveCountLessThanOrEqualTo((int)(changes[^1] / (duration + Pacing.Gap(duration))) + 2);
        Delays(changes, paced).Max().Should().BeLessThanOrEqualTo(Bound(duration));
    }

    [Property(MaxTest = 300)]
    public Property Every_change_is_applied_within_the_bound_and_the_last_apply_holds_the_last_change()
    {
        var gaps = Gen.Choose(0, 400).ListOf().Where(l => l.Count > 0);
        return Prop.ForAll(
            gaps.ToArbitrary(),
            Gen.Choose(0, 800).ToArbitrary(),
            (gapsMs, durationMs) =>
            {
                var at = TimeSpan.Zero;
                var changes = gapsMs.Select(g => at += TimeSpan.FromMilliseconds(g)).ToList();
                var duration = TimeSpan.FromMilliseconds(durationMs);

                var applies = Simulate(Pacing, changes, duration);

                applies[^1].Through.Should().Be(changes.Count);
                Delays(changes, applies).Max().Should().BeLessThanOrEqualTo(Bound(duration));
                applies.Zip(applies.Skip(1)).All(p => p.Second.Start >= p.First.Start + duration).Should().BeTrue("one apply is in flight at a time");
            });
    }

    /// <summary>For each change, the time until the start of the first apply that contains it.</summary>
    private static IEnumerable<TimeSpan> Delays(IReadOnlyList<TimeSpan> changes, IReadOnlyList<(TimeSpan Start, int Through)> applies) =>
        changes.Select((c, i) => applies.First(a => a.Through > i).Start - c);

    /// <summary>
    /// The converger's loop on a virtual clock: idle until a change; then waits for <see cref="BurstPacing.NextApply"/>
    /// (re-evaluated when it is reached, with the changes seen by then); an apply contains every change up to its
    /// start and takes <paramref name="duration"/>. Returns each apply's start and how many changes it contains.
    /// </summary>
    private static List<(TimeSpan Start, int Through)> Simulate(BurstPacing pacing, IReadOnlyList<TimeSpan> changes, TimeSpan duration)
    {
        var applies = new List<(TimeSpan Start, int Through)>();
        TimeSpan? lastEnd = null;
        var applied = 0;
        var now = changes[0];
        while (applied < changes.Count)
        {
            var seen = applied;
            while (seen < changes.Count && changes[seen] <= now)
            {
                seen++;
            }

            var due = pacing.NextApply(lastEnd, duration, changes[applied], changes[seen - 1]);
            if (due > now)
            {
                now = due;
                continue;
            }

            applies.Add((now, seen));
            applied = seen;
            lastEnd = now + duration;
            now = applied < changes.Count && changes[applied] > lastEnd.Value ? changes[applied] : lastEnd.Value;
        }

        return applies;
    }
}
