using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// The shipped defaults (heartbeat interval and missed count from <see cref="NodeAgentOptions"/>): two lost heartbeats of
/// the owner move nothing, the third moves its address; a bus that stalls (our own echo stops) moves nothing at all.
/// </summary>
public sealed class DefaultTimingTests
{
    private static readonly NodeAgentOptions Defaults = new();
    private static readonly TimeSpan Interval = Defaults.HeartbeatInterval;

    private static NodeHeartbeat Beat(string node) =>
        new(node, "eth0", ["198.18.0.0/24"], new LinkState(true, "up", true), new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch, "start-" + node);

    /// <summary>node1 (us) and a rival that wins the address; both heartbeat and we hear our echo every interval until <paramref name="rivalStops"/>.</summary>
    private static (AgentState State, string Address) OwnedByRival(int rivalStops, int echoUntil)
    {
        var address = Lan4Addresses(200).First(a =>
            Election.Winner(a, [Node("node1"), Node("node2")], _ => true)!.Node == "node2").ToString();
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Interval, Defaults.MissedHeartbeats, "start-node1");
        state.SetLink(new LocalLink(true, "up", true, [Lan4]));
        state.SetDesiredState([Service("web", addresses: Local(address))]);
        state.BusUp(TimeSpan.Zero);
        for (var i = 0; i <= echoUntil; i++)
        {
            state.Heard(Beat("node1"), MembershipScope.Of(Lan4), Interval * i);
            if (i <= rivalStops)
            {
                state.Heard(Beat("node2"), MembershipScope.Of(Lan4), Interval * i);
            }
        }

        return (state, address);
    }

    private static bool Holds(AgentState state, string address, TimeSpan now) =>
        state.Plan(state.View(now), now)!.Addresses.Any(a => a.Plumbing.Address.Equals(IPAddress.Parse(address)));

    [Fact]
    public void Two_lost_heartbeats_move_nothing_and_the_third_moves_the_address()
    {
        Defaults.MissedHeartbeats.Should().Be(3);
        var (state, address) = OwnedByRival(rivalStops: 10, echoUntil: 20);

        Holds(state, address, Interval * 10).Should().BeFalse("the rival is alive");
        Holds(state, address, Interval * 12 + Interval / 2).Should().BeFalse("two heartbeats lost (at 11 and 12 intervals) are tolerated");
        Holds(state, address, Interval * 13).Should().BeTrue("the third missed heartbeat declares the rival dead");
    }

    [Fact]
    public void A_stalled_bus_moves_nothing_however_long_it_lasts()
    {
        // The bus stalls at 10 intervals: neither the rival's heartbeats nor our own echo arrive afterwards.
        var (state, address) = OwnedByRival(rivalStops: 10, echoUntil: 10);

        Holds(state, address, Interval * 100).Should().BeFalse("silence while our own echo is missing proves nothing");
    }
}
