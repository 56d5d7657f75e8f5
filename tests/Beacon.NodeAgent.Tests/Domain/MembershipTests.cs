using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class MembershipTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DeadAfter = 3 * Interval;

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static string[] Live(Membership m, TimeSpan now) => [.. m.View(now).Nodes.Select(n => n.Node)];

    [Fact]
    public void A_peer_is_live_until_three_heartbeats_are_missed()
    {
        var m = new Membership(DeadAfter);
        m.Observe(Node("a"), Ms(0));

        Live(m, Ms(299)).Should().Equal("a");
        Live(m, Ms(300)).Should().BeEmpty();
    }

    [Fact]
    public void Each_heartbeat_extends_life_and_replaces_the_report()
    {
        var m = new Membership(DeadAfter);
        m.Observe(Node("a"), Ms(0));
        m.Observe(Node("a", linkUp: false), Ms(250));

        var view = m.View(Ms(500));
        view.Nodes.Should().ContainSingle().Which.LinkUp.Should().BeFalse();
        Live(m, Ms(550)).Should().BeEmpty();
    }

    [Fact]
    public void A_leaving_peer_goes_at_once_and_comes_back_with_its_next_start()
    {
        var m = new Membership(DeadAfter);
        m.Observe(Node("a"), Ms(0));
        m.Observe(Node("b"), Ms(0));

        m.Leave("a");
        Live(m, Ms(1)).Should().Equal("b");

        m.Observe(Node("a") with { StartId = "second" }, Ms(2));
        m.Leave("a", startId: "first");
        Live(m, Ms(3)).Should().Equal("a", "b");
    }

    [Fact]
    public void While_frozen_nobody_expires_and_after_thaw_peers_get_a_full_grace_period()
    {
        var m = new Membership(DeadAfter);
        m.Observe(Node("a"), Ms(0));
        m.Observe(Node("gone"), Ms(-400));
        m.Freeze(Ms(100));

        Live(m, Ms(10_000)).Should().Equal("a");
        m.NextExpiry().Should().BeNull("a frozen table needs no wake-up");

        m.Thaw(Ms(10_000));
        Live(m, Ms(10_299)).Should().Equal("a");
        Live(m, Ms(10_300)).Should().BeEmpty();
    }

    [Fact]
    public void A_thaw_can_give_peers_time_to_reconnect_themselves()
    {
        var m = new Membership(DeadAfter);
        m.Observe(Node("a"), Ms(0));
        m.Freeze(Ms(100));

        m.Thaw(Ms(5_000), reconnectGrace: Ms(2_000));

        Live(m, Ms(7_299)).Should().Equal("a");
        Live(m, Ms(7_300)).Should().BeEmpty();
    }

    [Fact]
    public void Next_expiry_is_when_the_oldest_peer_dies()
    {
        var m = new Membership(DeadAfter);
        m.NextExpiry().Should().BeNull();
        m.Observe(Node("a"), Ms(50));
        m.Observe(Node("b"), Ms(20));

        m.NextExpiry().Should().Be(Ms(320));
    }

    [Property]
    public Property The_view_is_exactly_the_peers_heard_within_the_window()
    {
        return Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 2000), 6).ToArbitrary(), Gen.Choose(0, 2500).ToArbitrary(), (heardAt, now) =>
        {
            var m = new Membership(DeadAfter);
            for (var i = 0; i < heardAt.Length; i++)
            {
                m.Observe(Node($"n{i}"), Ms(heardAt[i]));
            }

            var expected = heardAt.Select((t, i) => (t, i)).Where(x => now < x.t + 300).Select(x => $"n{x.i}").Order(StringComparer.Ordinal);
            return Live(m, Ms(now)).SequenceEqual(expected);
        });
    }

    [Fact]
    public void Views_compare_by_content()
    {
        var one = new MembershipView([Node("a"), Node("b")]);
        var same = new MembershipView([Node("b"), Node("a")]);
        var linkDown = new MembershipView([Node("a"), Node("b", linkUp: false)]);

        one.SameAs(same).Should().BeTrue();
        one.SameAs(linkDown).Should().BeFalse();
        one.SameAs(MembershipView.Empty).Should().BeFalse();
    }
}
