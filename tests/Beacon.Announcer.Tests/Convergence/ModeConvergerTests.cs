using Beacon.Announcer.Convergence;
using Beacon.Announcer.Modes;
using Beacon.TestSupport.Daemons;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.Convergence;

/// <summary>The loop that pushes the latest desired set into the mode: coalescing, retry with backoff, resync.</summary>
public sealed class ModeConvergerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_first_apply_is_the_first_submitted_set_never_an_empty_guess()
    {
        var mode = new RecordingMode();
        await using var run = Run(mode, new ConvergenceTimings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)), out var converger);
        await mode.Started.Task.WaitAsync(Deadline);
        var set = Desired.Of(Desired.Routed("a/web", "198.19.10.5"));

        await converger.WaitAppliedAsync(converger.Submit(set), default).WaitAsync(Deadline);

        mode.Applies.Should().NotBeEmpty().And.OnlyContain(a => a.Set == set);
    }

    [Fact]
    public async Task Sets_submitted_in_a_burst_are_coalesced_and_the_latest_one_ends_up_applied()
    {
        var mode = new RecordingMode();
        await using var run = Run(mode, new ConvergenceTimings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)), out var converger);
        long version = 0;
        var sets = Enumerable.Range(0, 200).Select(i => Desired.Of(Desired.Routed("a/web", $"198.19.10.{i}"))).ToList();

        foreach (var set in sets)
        {
            version = converger.Submit(set);
        }

        await converger.WaitAppliedAsync(version, default).WaitAsync(Deadline);
        mode.Applies[^1].Set.Should().Be(sets[^1]);
        mode.Applies.Count.Should().BeLessThan(sets.Count);
    }

    [Fact]
    public async Task A_thousand_changes_during_one_reconfiguration_cost_one_more_build_and_one_more_apply()
    {
        var mode = new GatedMode();
        await using var run = Run(mode, new ConvergenceTimings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)), out var converger);
        var builds = 0;
        var sets = Enumerable.Range(0, 1001).Select(i => Desired.Of(Desired.Routed("a/web", $"198.19.{10 + (i / 250)}.{i % 250}"))).ToList();
        Func<AnnouncementSet> Building(AnnouncementSet set) => () =>
        {
            Interlocked.Increment(ref builds);
            return set;
        };
        converger.Submit(Building(sets[0]));
        await mode.FirstApplyStarted.Task.WaitAsync(Deadline);

        long version = 0;
        foreach (var set in sets.Skip(1))
        {
            version = converger.Submit(Building(set));
        }

        mode.Release();
        await converger.WaitAppliedAsync(version, default).WaitAsync(Deadline);

        mode.Applies.Should().Equal(sets[0], sets[^1]);
        builds.Should().Be(2, "a set submitted as a builder is built when applied, not when submitted");
    }

    [Fact]
    public async Task A_burst_right_after_an_apply_is_applied_once_it_settles_while_a_lone_change_is_applied_at_once()
    {
        var mode = new RecordingMode();
        var time = new ManualTime();
        var converger = new ModeConverger(mode, new ConvergenceTimings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)), time, NullLogger<ModeConverger>.Instance);
        using var cts = new CancellationTokenSource();
        var loop = converger.RunAsync(cts.Token);
        await converger.WaitAppliedAsync(converger.Submit(Desired.Of(Desired.Routed("a/web", "198.19.9.1"))), default).WaitAsync(Deadline);

        // A burst starting now: it waits for a lull of 20 ms, however many sets arrive meanwhile.
        var lull = BurstPacing.Default.Lull;
        var sets = Enumerable.Range(0, 40).Select(i => Desired.Of(Desired.Routed("a/web", $"198.19.10.{i}"))).ToList();
        converger.Submit(sets[0]);
        await time.WaitForTimerAsync(lull).WaitAsync(Deadline);
        time.Advance(lull / 2);
        long version = 0;
        foreach (var set in sets.Skip(1))
        {
            version = converger.Submit(set);
        }

        time.Advance(lull / 2);
        await time.WaitForTimerAsync(lull / 2).WaitAsync(Deadline);
        mode.Applies.Should().HaveCount(1, "nothing is applied until the burst has been quiet for the lull");
        time.Advance(lull / 2);
        await converger.WaitAppliedAsync(version, default).WaitAsync(Deadline);
        mode.Applies.Select(a => a.Set).Skip(1).Should().Equal(sets[^1]);

        // Long after that apply, a single change (a failover) does not wait for the clock.
        time.Advance(BurstPacing.Default.Window * 2);
        var lone = Desired.Of(Desired.Routed("a/web", "198.19.11.1"));
        await converger.WaitAppliedAsync(converger.Submit(lone), default).WaitAsync(Deadline);
        mode.Applies[^1].Set.Should().Be(lone);

        await cts.CancelAsync();
        await loop.WaitAsync(Deadline);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_apply_is_retried_with_growing_waits_until_it_succeeds(bool throws)
    {
        var mode = new RecordingMode(failures: 3, throws);
        var timings = new ConvergenceTimings(TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        await using var run = Run(mode, timings, out var converger);

        await converger.WaitAppliedAsync(converger.Submit(Desired.Of(Desired.Routed("a/web", "198.19.10.5"))), default).WaitAsync(Deadline);

        var at = mode.Applies.Select(a => a.At).ToList();
        at.Should().HaveCount(4);
        for (var i = 1; i < at.Count; i++)
        {
            (at[i] - at[i - 1]).Should().BeGreaterThanOrEqualTo(timings.RetryAfter(i) - TimeSpan.FromMilliseconds(15), $"wait {i} follows the backoff");
        }

        converger.ConsecutiveFailures.Should().Be(0);
        converger.LastOutcome!.Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task The_current_set_is_reapplied_periodically_so_a_restarted_daemon_is_repaired()
    {
        var mode = new RecordingMode();
        await using var run = Run(mode, new ConvergenceTimings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(30)), out var converger);
        var set = Desired.Of(Desired.Routed("a/web", "198.19.10.5"));
        converger.Submit(set);

        await Eventually.MatchesAsync(() => Task.FromResult(mode.Applies.Count), n => n >= 3, Deadline, "three applies without a new submission");

        mode.Applies.Should().OnlyContain(a => a.Set == set);
    }

    [Fact]
    public void Backoff_doubles_from_the_first_retry_and_stops_at_the_maximum()
    {
        var timings = new ConvergenceTimings(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

        Enumerable.Range(1, 10).Select(timings.RetryAfter).Select(t => t.TotalMilliseconds)
            .Should().Equal(200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000);
        timings.RetryAfter(1000).Should().Be(TimeSpan.FromSeconds(30));
    }

    private static RunningConverger Run(IAnnouncerMode mode, ConvergenceTimings timings, out ModeConverger converger)
    {
        converger = new ModeConverger(mode, timings, TimeProvider.System, NullLogger<ModeConverger>.Instance);
        var cts = new CancellationTokenSource();
        return new RunningConverger(converger.RunAsync(cts.Token), cts);
    }

    private sealed class RunningConverger(Task loop, CancellationTokenSource cts) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cts.CancelAsync();
            await loop.WaitAsync(Deadline);
            cts.Dispose();
        }
    }
}
