using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>Routine heartbeats in step across agents, never further apart than one interval (issue #15 item 1).</summary>
public sealed class HeartbeatPhaseTests
{
    private static readonly DateTimeOffset Boundary = new(2026, 11, 30, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Agents_whose_clocks_agree_send_at_the_same_instant_whatever_their_start()
    {
        var interval = TimeSpan.FromMilliseconds(50);
        var early = Boundary.AddMilliseconds(3);
        var late = Boundary.AddMilliseconds(41.5);

        Assert.Equal(Boundary.AddMilliseconds(50), early + HeartbeatPhase.UntilNext(early, interval));
        Assert.Equal(Boundary.AddMilliseconds(50), late + HeartbeatPhase.UntilNext(late, interval));
    }

    [Fact]
    public void A_beat_sent_on_a_boundary_is_followed_one_full_interval_later()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(50), HeartbeatPhase.UntilNext(Boundary, TimeSpan.FromMilliseconds(50)));
    }

    [Property(MaxTest = 500)]
    public Property The_next_beat_is_on_a_boundary_and_never_more_than_an_interval_away(PositiveInt intervalMs, NonNegativeInt offsetMicros)
    {
        var interval = TimeSpan.FromMilliseconds(intervalMs.Get % 10_000 + 1);
        var now = Boundary.AddTicks(offsetMicros.Get * 10L);
        var until = HeartbeatPhase.UntilNext(now, interval);
        return (until > TimeSpan.Zero && until <= interval && (now + until).UtcTicks % interval.Ticks == 0).ToProperty();
    }

    [Fact]
    public void A_zero_interval_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HeartbeatPhase.UntilNext(Boundary, TimeSpan.Zero));
    }
}
