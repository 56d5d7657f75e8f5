using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// Per-subnet warm-up with scoped heartbeats: a subnet counts for our election (and appears in our heartbeat) only once
/// our echo came back in its scope and we listened there for a full window, so a new subnet is not claimed blind.
/// </summary>
public sealed class ScopedWarmUpTests
{
    private static readonly IPNetwork Other4 = IPNetwork.Parse("198.18.1.0/24");
    private static readonly string Scope4 = MembershipScope.Of(Lan4);
    private static readonly string Scope6 = MembershipScope.Of(Lan6);
    private static readonly string OtherScope = MembershipScope.Of(Other4);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static NodeHeartbeat Own() =>
        new("node1", "eth0", [], new LinkState(true, "up", true), new Dictionary<string, string>(), true, DateTimeOffset.UnixEpoch, "s1");

    private static AgentState Started(params IPNetwork[] subnets)
    {
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
        state.SetLink(new LocalLink(true, "up", true, subnets));
        state.SetDesiredState([Service("web", addresses: [Local("198.18.0.20"), new AllocatedAddress("198.18.1.20", 32, IpFamily.IPv4, AddressPlacement.Local, "lan2", "198.18.1.0/24", null)])]);
        state.BusUp(Ms(0));
        return state;
    }

    private static void Echo(AgentState state, string scope, int from, int until)
    {
        for (var t = from; t <= until; t += 100)
        {
            state.Heard(Own(), scope, Ms(t));
        }
    }

    private static IEnumerable<string> Held(AgentState state, TimeSpan now) =>
        state.Plan(state.View(now), now)?.Addresses.Select(a => a.Plumbing.Address.ToString()) ?? ["<no plan>"];

    [Fact]
    public void A_node_with_two_subnets_takes_part_in_each_once_it_has_listened_in_that_scope()
    {
        var state = Started(Lan4, Lan6);
        Echo(state, Scope4, 0, 300);
        state.ElectionSubnets(Ms(300)).Should().Equal(Lan4);
        Echo(state, Scope6, 200, 500);

        state.ElectionSubnets(Ms(499)).Should().Equal(Lan4);
        state.ElectionSubnets(Ms(500)).Should().Equal(Lan4, Lan6);
    }

    [Fact]
    public void A_subnet_that_appears_later_is_warmed_up_before_we_claim_anything_on_it()
    {
        var state = Started(Lan4);
        Echo(state, Scope4, 0, 300);
        Held(state, Ms(300)).Should().Equal("198.18.0.20");

        state.SetLink(new LocalLink(true, "up", true, [Lan4, Other4]));
        Held(state, Ms(400)).Should().Equal(new[] { "198.18.0.20" }, "we have not heard the peers of 198.18.1.0/24 yet");
        state.SelfReport(Ms(400)).Subnets.Should().Equal(new[] { Lan4 }, "peers must not count us there either, or nobody would hold it");
        Echo(state, OtherScope, 400, 700);

        Held(state, Ms(699)).Should().Equal("198.18.0.20");
        Held(state, Ms(700)).Should().Equal("198.18.0.20", "198.18.1.20");
    }

    [Fact]
    public void Moving_away_from_a_subnet_and_back_warms_it_up_again()
    {
        var state = Started(Lan4);
        Echo(state, Scope4, 0, 300);
        state.SetLink(new LocalLink(true, "up", true, [Other4]));
        Echo(state, Scope4, 400, 400);
        state.SetLink(new LocalLink(true, "up", true, [Lan4]));

        state.ElectionSubnets(Ms(500)).Should().BeEmpty("peers may have changed while we were gone");
        Echo(state, Scope4, 500, 800);
        state.ElectionSubnets(Ms(800)).Should().Equal(Lan4);
    }

    [Fact]
    public void An_echo_in_a_scope_we_do_not_have_warms_nothing()
    {
        var state = Started(Lan4);
        Echo(state, OtherScope, 0, 1000);

        state.ElectionSubnets(Ms(1000)).Should().BeEmpty();
        Held(state, Ms(1000)).Should().BeEmpty();
    }

    [Fact]
    public void A_peer_heard_in_one_scope_elects_with_all_the_subnets_its_heartbeat_reports()
    {
        var state = Started(Lan4, Other4);
        Echo(state, Scope4, 0, 300);
        Echo(state, OtherScope, 0, 300);
        var address = IPAddress.Parse("198.18.1.20");
        var rival = Enumerable.Range(2, 40).Select(i => $"node{i}")
            .First(n => Election.Winner(address, [Node("node1", subnets: Other4), Node(n, subnets: Other4)], _ => true)!.Node == n);
        Held(state, Ms(300)).Should().Contain("198.18.1.20");
        state.Heard(new NodeHeartbeat(rival, "eth0", ["198.18.0.0/24", "198.18.1.0/24"], new LinkState(true, "up", true), new Dictionary<string, string>(), true,
            DateTimeOffset.UnixEpoch, "r"), Scope4, Ms(300));

        Held(state, Ms(300)).Should().NotContain("198.18.1.20");
    }
}
