using Beacon.NodeAgent.Agent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Agent;

/// <summary>How the agent loop coalesces a burst of desired-state views into few reconcile passes.</summary>
public sealed class DesiredStateBurstTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void A_single_change_is_applied_after_the_short_lull_of_a_cheap_pass()
    {
        var burst = new DesiredStateBurst<string>();
        burst.Arrived("v1", Ms(1000));

        burst.TakeIfDue(Ms(1001)).Should().BeNull("the lull has not passed");
        burst.DueAt.Should().Be(Ms(1000) + DesiredStateBurst<string>.MinLull);
        burst.TakeIfDue(Ms(1002)).Should().Be("v1");
        burst.DueAt.Should().BeNull("nothing is pending once taken");
        burst.TakeIfDue(Ms(5000)).Should().BeNull();
    }

    [Fact]
    public void A_thousand_views_two_milliseconds_apart_cost_a_pass_per_max_delay_each_with_the_latest_view()
    {
        // 1,000 Services over 2 s with passes of 10 ms each (20 ms lull): a pass per view would be 1,000 passes.
        var burst = new DesiredStateBurst<string>();
        burst.PassTook(Ms(10));
        var applied = new List<(TimeSpan At, string View)>();
        for (var i = 0; i < 1000; i++)
        {
            var now = Ms(i * 2);
            burst.Arrived($"v{i}", now);
            if (burst.TakeIfDue(now) is { } view)
            {
                applied.Add((now, view));
            }
        }

        var end = Ms(1998) + burst.Lull;
        burst.TakeIfDue(end).Should().Be("v999", "the last view is applied one lull after it arrived");
        applied.Count.Should().BeLessThanOrEqualTo(21);
        applied.Should().OnlyContain(a => a.View == $"v{(int)(a.At.TotalMilliseconds / 2)}", "each pass applies the latest view");
    }

    [Fact]
    public void The_lull_follows_the_cost_of_a_pass_within_its_bounds()
    {
        var burst = new DesiredStateBurst<string>();
        burst.PassTook(Ms(0.1));
        burst.Lull.Should().Be(DesiredStateBurst<string>.MinLull);
        burst.PassTook(Ms(7));
        burst.Lull.Should().Be(Ms(14));
        burst.PassTook(TimeSpan.FromSeconds(3));
        burst.Lull.Should().Be(DesiredStateBurst<string>.MaxLull);
    }

    [Property]
    public Property Whatever_the_arrivals_every_view_is_superseded_or_applied_within_the_max_delay_and_only_the_latest_is_applied()
    {
        var gaps = Gen.ListOf(Gen.Choose(0, 80)).Select(g => g.ToArray());
        return Prop.ForAll(gaps.ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), (intervals, passMs) =>
        {
            var burst = new DesiredStateBurst<string>();
            burst.PassTook(Ms(passMs));
            var now = TimeSpan.Zero;
            string? latest = null;
            TimeSpan? pendingSince = null;
            var ok = true;

            // The loop wakes at every arrival and at DueAt; check at each wake-up.
            void WakeUntil(TimeSpan until)
            {
                while (burst.DueAt is { } due && due <= until)
                {
                    ok &= due - pendingSince!.Value <= DesiredStateBurst<string>.MaxDelay;
                    ok &= burst.TakeIfDue(due) == latest;
                    pendingSince = null;
                }
            }

            for (var i = 0; i < intervals.Length; i++)
            {
                WakeUntil(now + Ms(intervals[i]));
                now += Ms(intervals[i]);
                latest = $"v{i}";
                pendingSince ??= now;
                burst.Arrived(latest, now);
                if (burst.TakeIfDue(now) is { } taken)
                {
                    ok &= taken == latest;
                    pendingSince = null;
                }
            }

            WakeUntil(TimeSpan.MaxValue);
            return ok && burst.DueAt is null;
        });
    }
}
