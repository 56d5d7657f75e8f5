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
/// The warm-up ends early (one interval after our echo) once every owner on our subnets, as their stored status says,
/// has been heard; otherwise the full window applies. Interval 100 ms, 3 missed heartbeats: full window 300 ms.
/// </summary>
public sealed class EarlyWarmUpTests
{
    private static readonly LocalLink LanUp = new(true, "up", true, [Lan4, Lan6]);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static NodeHeartbeat Beat(string node, string? startId = null, bool leaving = false) =>
        new(node, "eth0", ["198.18.0.0/24", "fd00:beac::/64"], new LinkState(true, "up", true), new Dictionary<string, string>(), true,
            DateTimeOffset.UnixEpoch, startId ?? "start-" + node, leaving);

    private static NodeStatusReport Holding(string node, params string[] addresses) =>
        new(node, [.. addresses.Select(a => new Announcement(node, new ServiceKey("default", "web"), a, "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UnixEpoch))],
            DateTimeOffset.UnixEpoch);

    private static AgentState Starting(params string[] addresses)
    {
        var state = new AgentState(new LocalNode("node1", "eth0", "kube-lb0", true), Ms(100), 3, "s1");
        state.SetLink(LanUp);
        state.SetDesiredState([Service("web", addresses: [.. addresses.Select(Local)])]);
        state.BusUp(Ms(0));
        return state;
    }

    [Fact]
    public void Expected_peers_are_the_other_nodes_holding_an_address_on_our_subnets()
    {
        var expected = ExpectedPeers.From(
            [Holding("node1", "198.18.0.10"), Holding("node2", "198.18.0.11"), Holding("node3", "203.0.113.7"), Holding("node4"), Holding("node5", "fd00:beac::5")],
            "node1", [Lan4, Lan6]);

        expected.Should().BeEquivalentTo("node2", "node5");
    }

    [Fact]
    public void Once_every_owner_has_been_heard_the_warm_up_ends_one_interval_after_the_echo()
    {
        var state = Starting("198.18.0.10", "198.18.0.11");
        state.ExpectPeers(new HashSet<string> { "node2" });
        state.Heard(Beat("node1", "s1"), Ms(10));
        state.Heard(Beat("node2"), Ms(40));

        state.WarmedUp(Ms(109)).Should().BeFalse("we listen for at least one interval after the echo");
        state.NextWarmUp(Ms(50)).Should().Be(Ms(110));
        state.WarmedUp(Ms(110)).Should().BeTrue();
        state.Candidate(Ms(110)).Should().BeTrue();
        state.Plan(state.View(Ms(110)), Ms(110)).Should().NotBeNull();
    }

    [Fact]
    public void An_owner_that_stays_silent_keeps_the_full_window()
    {
        var state = Starting("198.18.0.10");
        state.ExpectPeers(new HashSet<string> { "node2", "node3" });
        state.Heard(Beat("node1", "s1"), Ms(0));
        state.Heard(Beat("node2"), Ms(20));

        state.WarmedUp(Ms(299)).Should().BeFalse("node3 owns something here and we have not heard it");
        state.WarmedUp(Ms(300)).Should().BeTrue("after the full window a silent node3 counts as dead, as before");
    }

    [Fact]
    public void Without_the_owners_list_the_full_window_applies()
    {
        var state = Starting("198.18.0.10");
        state.Heard(Beat("node1", "s1"), Ms(0));
        state.Heard(Beat("node2"), Ms(20));

        state.WarmedUp(Ms(299)).Should().BeFalse();
        state.WarmedUp(Ms(300)).Should().BeTrue();
    }

    [Fact]
    public void An_owner_that_left_counts_as_heard()
    {
        var state = Starting("198.18.0.10");
        state.ExpectPeers(new HashSet<string> { "node2" });
        state.Heard(Beat("node1", "s1"), Ms(0));
        state.Heard(Beat("node2", leaving: true), Ms(20));

        state.WarmedUp(Ms(100)).Should().BeTrue();
    }

    [Fact]
    public void A_subnet_that_appears_after_the_owners_were_read_gets_the_full_window()
    {
        var other = IPNetwork.Parse("198.18.1.0/24");
        var otherScope = MembershipScope.Of(other);
        var state = Starting("198.18.0.10");
        state.ExpectPeers(new HashSet<string>());
        state.Heard(Beat("node1", "s1"), MembershipScope.Of(Lan4), Ms(0));
        state.ElectionSubnets(Ms(100)).Should().Equal(Lan4);

        state.SetLink(new LocalLink(true, "up", true, [Lan4, other]));
        state.Heard(Beat("node1", "s1"), otherScope, Ms(200));

        state.ElectionSubnets(Ms(300)).Should().Equal(new[] { Lan4 }, "nobody looked up the owners of 198.18.1.0/24");
        state.ElectionSubnets(Ms(500)).Should().Equal(Lan4, other);
    }

    /// <summary>
    /// Live owners (and peers that own nothing) whose heartbeats reach us late: the first up to two intervals late (two
    /// lost heartbeats), the rest on cadence. Whatever the timing, the starting agent never plans an address that a
    /// live peer wins against it, i.e. one its owner keeps: no duplicate owner from ending the warm-up early.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property A_starting_agent_never_takes_an_address_a_live_peer_keeps_however_late_the_peers_are_heard()
    {
        var scenario =
            from peerCount in Gen.Choose(1, 4)
            from firstHeard in Gen.ArrayOf(Gen.Choose(0, 59).Select(i => i * 5), peerCount)
            from addressCount in Gen.Choose(1, 24)
            from echoAt in Gen.Choose(0, 16).Select(i => i * 5)
            select (FirstHeard: firstHeard, Addresses: Lan4Addresses(addressCount).ToArray(), EchoAt: echoAt);
        return Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var peers = s.FirstHeard.Select((_, i) => $"node{i + 2}").ToArray();
            // What the peers hold now: each address owned by its winner among the peers (we were away).
            var holdings = peers.ToDictionary(p => p, _ => new List<string>());
            foreach (var address in s.Addresses)
            {
                holdings[Election.Winner(address, [.. peers.Select(p => Node(p))], _ => true)!.Node].Add(address.ToString());
            }

            var state = Starting([.. s.Addresses.Select(a => a.ToString())]);
            state.ExpectPeers(ExpectedPeers.From(holdings.Select(h => Holding(h.Key, [.. h.Value])), "node1", LanUp.Subnets));
            var all = new[] { Node("node1") }.Concat(peers.Select(p => Node(p))).ToArray();
            for (var t = 0; t <= 600; t += 5)
            {
                if (t >= s.EchoAt && (t - s.EchoAt) % 100 == 0)
                {
                    state.Heard(Beat("node1", "s1"), Ms(t));
                }

                for (var i = 0; i < peers.Length; i++)
                {
                    if (t >= s.FirstHeard[i] && (t - s.FirstHeard[i]) % 100 == 0)
                    {
                        state.Heard(Beat(peers[i]), Ms(t));
                    }
                }

                var plan = state.Plan(state.View(Ms(t)), Ms(t));
                foreach (var planned in plan?.Addresses ?? [])
                {
                    if (Election.Winner(planned.Plumbing.Address, all, _ => true)!.Node != "node1")
                    {
                        return false.Label($"at {t} ms node1 holds {planned.Plumbing.Address}, which a live peer keeps");
                    }
                }
            }

            // And it does take part in the end, holding exactly what it wins.
            var final = state.Plan(state.View(Ms(600)), Ms(600));
            var wins = s.Addresses.Where(a => Election.Winner(a, all, _ => true)!.Node == "node1");
            return (final is not null && final.Addresses.Select(a => a.Plumbing.Address).ToHashSet().SetEquals(wins)).Label("not holding exactly its wins after 600 ms");
        });
    }
}
