using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// One routine heartbeat per interval where one reaches every peer (issue #15 item 1): a dual-stack node among dual-stack
/// peers sends into its home scope only, and still every peer that shares any subnet with it hears it.
/// </summary>
public sealed class RoutineHeartbeatScopesTests
{
    private static readonly IPNetwork Other4 = IPNetwork.Parse("198.18.1.0/24");
    private static readonly string Scope4 = MembershipScope.Of(Lan4);
    private static readonly string Scope6 = MembershipScope.Of(Lan6);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static NodeHeartbeat Beat(string node, string startId, params IPNetwork[] subnets) =>
        new(node, "eth0", [.. subnets.Select(s => s.ToString())], new LinkState(true, "up", true), new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch, startId);

    /// <summary>node1 on both lab subnets, warmed up in both (echoes in each scope from 0 to 300 ms).</summary>
    private static AgentState WarmDualStack()
    {
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
        state.SetLink(new LocalLink(true, "up", true, [Lan4, Lan6]));
        state.SetDesiredState([Service("web", addresses: [Local("198.18.0.20")])]);
        state.BusUp(Ms(0));
        for (var t = 0; t <= 300; t += 100)
        {
            state.Heard(Beat("node1", "s1"), Scope4, Ms(t));
            state.Heard(Beat("node1", "s1"), Scope6, Ms(t));
        }

        return state;
    }

    [Fact]
    public void A_dual_stack_node_among_dual_stack_peers_sends_one_heartbeat_into_its_home_scope()
    {
        var state = WarmDualStack();
        state.Heard(Beat("node2", "s2", Lan4, Lan6), Scope4, Ms(300));

        state.RoutineScopes([Scope4, Scope6], Ms(320)).Should().Equal(Scope4);
    }

    [Fact]
    public void A_peer_outside_the_home_scope_gets_the_heartbeat_in_the_scope_it_shares_until_it_dies()
    {
        var state = WarmDualStack();
        state.Heard(Beat("node3", "s3", Other4, Lan6), Scope6, Ms(300));

        state.RoutineScopes([Scope4, Scope6], Ms(320)).Should().Equal(Scope4, Scope6);
        for (var t = 400; t <= 600; t += 100)
        {
            state.Heard(Beat("node1", "s1"), Scope4, Ms(t)); // the bus still delivers: node3's silence counts
        }

        state.RoutineScopes([Scope4, Scope6], Ms(600)).Should().Equal(Scope4);
    }

    [Fact]
    public void A_peer_still_warming_up_a_shared_scope_is_heard_there_before_its_heartbeat_lists_that_subnet()
    {
        var state = WarmDualStack();
        // node3 lists no subnet yet (none warm), but it sends into our v6 scope: it listens there, not in our home scope.
        state.Heard(Beat("node3", "s3"), Scope6, Ms(300));

        state.RoutineScopes([Scope4, Scope6], Ms(320)).Should().Equal(Scope4, Scope6);
    }

    [Fact]
    public void A_scope_not_warmed_up_yet_always_gets_the_heartbeat_so_its_peers_can_answer_there()
    {
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
        state.SetLink(new LocalLink(true, "up", true, [Lan4, Lan6]));
        state.BusUp(Ms(0));
        for (var t = 0; t <= 300; t += 100)
        {
            state.Heard(Beat("node1", "s1"), Scope4, Ms(t));
        }

        state.RoutineScopes([Scope4, Scope6], Ms(300)).Should().Equal(Scope4, Scope6);
    }

    [Fact]
    public void While_the_bus_is_down_a_silent_peer_still_gets_the_heartbeat_where_it_needs_it()
    {
        var state = WarmDualStack();
        state.Heard(Beat("node3", "s3", Other4, Lan6), Scope6, Ms(300));
        state.BusDown(Ms(310));

        state.RoutineScopes([Scope4, Scope6], Ms(5_000)).Should().Equal(Scope4, Scope6);
    }

    /// <summary>
    /// Whatever the scopes of this node and its peers: every peer sharing a scope with it listens in at least one scope
    /// the routine heartbeat goes to, the home scope is always among them, and a scope not warmed up is never left out.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property Every_peer_sharing_a_scope_hears_the_routine_heartbeat()
    {
        string[] alphabet = ["a", "b", "c", "d", "e"];
        var scopeSet = Gen.SubListOf(alphabet).Select(s => s.ToHashSet(StringComparer.Ordinal));
        var scenario =
            from own in Gen.SubListOf(alphabet).Where(s => s.Count > 0)
            from warm in Gen.SubListOf(alphabet)
            from count in Gen.Choose(0, 6)
            from peers in Gen.ListOf(scopeSet, count)
            select (Own: own.Order(StringComparer.Ordinal).ToList(), Warm: warm.ToHashSet(StringComparer.Ordinal), Peers: peers.ToList());
        return Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var to = RoutineHeartbeatScopes.For(s.Own, s.Warm.Contains, (scope, home) => s.Peers.Any(p => p.Contains(scope) && !p.Contains(home)));
            var reachesEveryone = s.Peers.Where(p => p.Overlaps(s.Own)).All(p => p.Overlaps(to));
            var keepsWarming = s.Own.Where(o => !s.Warm.Contains(o)).All(to.Contains);
            var ownOnly = to.All(s.Own.Contains) && to.Count > 0;
            var oneWhenAllShareHome = s.Own.FirstOrDefault(s.Warm.Contains) is not { } home
                || s.Own.Any(o => !s.Warm.Contains(o))
                || !s.Peers.All(p => p.Contains(home) || !p.Overlaps(s.Own))
                || to.Count == 1;
            return (reachesEveryone && keepsWarming && ownOnly && oneWhenAllShareHome).Label($"to [{string.Join(",", to)}]");
        });
    }
}
