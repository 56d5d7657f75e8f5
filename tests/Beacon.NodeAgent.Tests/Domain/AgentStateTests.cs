using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using static Beacon.NodeAgent.Tests.Domain.Desired;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class AgentStateTests
{
    private static readonly LocalLink LanUp = new(true, "up", true, [Lan4, Lan6]);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static NodeHeartbeat Beat(string node, bool candidate = true, bool linkUp = true, bool leaving = false, string? startId = null) =>
        new(node, "eth0", ["198.18.0.0/24", "fd00:beac::/64"], new LinkState(linkUp, linkUp ? "up" : "down", linkUp), new Dictionary<string, string>(),
            candidate, DateTimeOffset.UnixEpoch, startId ?? "start-" + node, leaving);

    /// <summary>An address node1 wins against node2 (found by the election itself, so the test does not hard-code hashes).</summary>
    private static string AddressNode1WinsOverNode2() =>
        Lan4Addresses(50).First(a => Election.Winner(a, [Node("node1"), Node("node2")], _ => true)!.Node == "node1").ToString();

    private static AgentState Ready(string address)
    {
        var state = NewState();
        state.SetLink(LanUp);
        state.SetDesiredState([Service("web", addresses: Local(address))]);
        state.BusUp(Ms(0));
        state.Heard(Beat("node1", startId: "s1"), Ms(0));
        return state;
    }

    private static AgentState NewState() => new(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");

    /// <summary>A healthy bus: our own heartbeat comes back every 100 ms up to <paramref name="until"/>.</summary>
    private static void Echo(AgentState state, int from, int until)
    {
        for (var t = from; t <= until; t += 100)
        {
            state.Heard(Beat("node1", startId: "s1"), Ms(t));
        }
    }

    private static IEnumerable<string> Held(AgentState state, TimeSpan now) =>
        state.Plan(state.View(now), now)?.Addresses.Select(a => a.Plumbing.Address.ToString()) ?? ["<no plan>"];

    [Fact]
    public void A_starting_agent_claims_nothing_and_is_no_candidate_until_it_has_listened_for_a_full_window()
    {
        var address = AddressNode1WinsOverNode2();
        var state = Ready(address);

        state.Candidate(Ms(299)).Should().BeFalse("peers must keep what they hold while we learn who is alive");
        Held(state, Ms(299)).Should().Equal("<no plan>");
        Held(state, Ms(300)).Should().Equal(address);
        state.Candidate(Ms(300)).Should().BeTrue();
    }

    [Fact]
    public void Without_desired_state_there_is_no_plan_so_nothing_already_plumbed_is_removed()
    {
        var state = NewState();
        state.SetLink(LanUp);
        state.BusUp(Ms(0));
        state.Heard(Beat("node1", startId: "s1"), Ms(0));

        state.Plan(state.View(Ms(1000)), Ms(1000)).Should().BeNull();
        state.Candidate(Ms(1000)).Should().BeFalse();
    }

    [Fact]
    public void A_higher_scoring_peer_takes_the_address_and_gives_it_back_when_it_dies_or_leaves()
    {
        var address = AddressNode1WinsOverNode2();
        var state = Ready(address);
        // node0..node9: find a peer that beats node1 for this address.
        var rival = Enumerable.Range(2, 30).Select(i => $"node{i}")
            .First(n => Election.Winner(IPAddress.Parse(address), [Node("node1"), Node(n)], _ => true)!.Node == n);

        state.Heard(Beat(rival), Ms(400));
        Held(state, Ms(400)).Should().BeEmpty();
        Echo(state, 100, 700);
        Held(state, Ms(700)).Should().Equal(new[] { address }, "three missed heartbeats declare the rival dead");

        Echo(state, 800, 800);
        state.Heard(Beat(rival, startId: "again"), Ms(800));
        Held(state, Ms(800)).Should().BeEmpty();
        state.Heard(Beat(rival, leaving: true, startId: "again"), Ms(810));
        Held(state, Ms(810)).Should().Equal(new[] { address }, "a leaving peer is dropped at once");
    }

    [Fact]
    public void Peers_that_cannot_own_do_not_take_anything()
    {
        var address = AddressNode1WinsOverNode2();
        var state = Ready(address);
        Echo(state, 0, 300);
        foreach (var i in Enumerable.Range(2, 30))
        {
            state.Heard(Beat($"node{i}", linkUp: i % 2 == 0 ? false : true, candidate: i % 2 == 0), Ms(300));
        }

        Held(state, Ms(350)).Should().Equal(address);
    }

    [Fact]
    public void While_the_bus_is_down_nobody_dies_and_after_it_returns_peers_get_a_grace_period()
    {
        var address = AddressNode1WinsOverNode2();
        var state = Ready(address);
        var rival = Enumerable.Range(2, 30).Select(i => $"node{i}")
            .First(n => Election.Winner(IPAddress.Parse(address), [Node("node1"), Node(n)], _ => true)!.Node == n);
        state.Heard(Beat(rival), Ms(400));
        Echo(state, 100, 400);

        state.BusDown(Ms(450));
        Held(state, Ms(30_000)).Should().BeEmpty("silence while we cannot hear anyone proves nothing");
        state.BusUp(Ms(30_000));
        Echo(state, 30_000, 30_300);
        Held(state, Ms(30_299)).Should().BeEmpty();
        Held(state, Ms(30_300)).Should().Equal(address);
    }

    [Fact]
    public void A_stalled_bus_that_stops_echoing_us_freezes_the_view_even_while_the_connection_looks_up()
    {
        var address = AddressNode1WinsOverNode2();
        var state = Ready(address);
        var rival = Enumerable.Range(2, 30).Select(i => $"node{i}")
            .First(n => Election.Winner(IPAddress.Parse(address), [Node("node1"), Node(n)], _ => true)!.Node == n);
        // Both heartbeat every 100 ms until the server hangs at 1000 ms; the last echo of ours came back a little
        // before the rival's last heartbeat.
        for (var t = 0; t <= 1000; t += 100)
        {
            state.Heard(Beat("node1", startId: "s1"), Ms(t));
            state.Heard(Beat(rival), Ms(t + 40));
        }

        Held(state, Ms(60_000)).Should().BeEmpty("silence of the rival is no evidence while we do not hear ourselves either");
        state.NextExpiry().Should().BeLessThan(Ms(60_000), "the loop must not spin on a past expiry; it polls on its heartbeat cadence");

        // The server resumes: our own echo comes through first, the rival's queued heartbeats a moment later. Its
        // silence during the stall must not count against it.
        state.Heard(Beat("node1", startId: "s1"), Ms(60_000));
        Held(state, Ms(60_000)).Should().BeEmpty("the rival's heartbeats are queued behind our echo");

        Echo(state, 60_100, 60_300);
        Held(state, Ms(60_300)).Should().Equal(new[] { address }, "once the bus echoes us again, the rival's silence counts");
    }

    [Fact]
    public void A_server_that_hangs_and_then_dies_freezes_the_view_as_of_the_hang_not_the_disconnect()
    {
        var address = AddressNode1WinsOverNode2();
        var state = Ready(address);
        var rival = Enumerable.Range(2, 30).Select(i => $"node{i}")
            .First(n => Election.Winner(IPAddress.Parse(address), [Node("node1"), Node(n)], _ => true)!.Node == n);
        for (var t = 0; t <= 1000; t += 100)
        {
            state.Heard(Beat("node1", startId: "s1"), Ms(t));
            state.Heard(Beat(rival), Ms(t + 40));
        }

        // Hung from 1000 ms; the client notices the dead connection only at 5000 ms.
        state.BusDown(Ms(5_000));

        Held(state, Ms(5_000)).Should().BeEmpty("the rival was alive when the bus last delivered");
        Held(state, Ms(60_000)).Should().BeEmpty();
    }

    [Fact]
    public void No_warm_up_starts_before_the_bus_has_echoed_us_once()
    {
        var state = NewState();
        state.SetLink(LanUp);
        state.SetDesiredState([Service("web", addresses: Local("198.18.0.10"))]);
        state.BusUp(Ms(0));

        state.Candidate(Ms(10_000)).Should().BeFalse();
        state.Heard(Beat("node1", startId: "someone-else-with-our-name"), Ms(10_000));
        state.Candidate(Ms(10_400)).Should().BeFalse();
        state.Heard(Beat("node1", startId: "s1"), Ms(10_000));
        state.Candidate(Ms(10_300)).Should().BeTrue();
    }

    [Fact]
    public void Our_own_link_going_down_gives_up_local_addresses_but_not_kube_lb0_ones()
    {
        var state = Ready(AddressNode1WinsOverNode2());
        state.SetDesiredState([Service("web", addresses: [Local(AddressNode1WinsOverNode2()), Remote("203.0.113.5")])]);

        state.SetLink(LanUp with { Up = false, OperState = "down", Carrier = false }).Should().BeTrue();

        Held(state, Ms(400)).Should().Equal("203.0.113.5");
        state.SelfReport(Ms(400)).CanOwn.Should().BeFalse();
    }

    [Fact]
    public void Leaving_empties_the_plan_and_our_own_name_on_the_bus_is_ignored()
    {
        var state = Ready(AddressNode1WinsOverNode2());
        state.Heard(Beat("node1", startId: "impostor"), Ms(350));
        Held(state, Ms(400)).Should().HaveCount(1);

        state.StartLeaving();

        Held(state, Ms(400)).Should().BeEmpty();
        state.Candidate(Ms(400)).Should().BeFalse();
    }
}
