using System.Net;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.NodeAgent.Tests.Domain.NodeReports;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class ElectionTests
{
    private static readonly IPNetwork Wide = IPNetwork.Parse("198.18.0.0/16");

    private static Gen<string[]> NodeNames() =>
        Gen.Choose(1, 8).SelectMany(n => Gen.Shuffle(Enumerable.Range(1, 20).Select(i => $"node{i}")).Select(all => all.Take(n).ToArray()));

    private static Gen<IPAddress> Addresses() =>
        Gen.Choose(0, 65535).Select(i => new IPAddress([198, 18, (byte)(i >> 8), (byte)i]));

    private static NodeReport? Win(IPAddress address, IEnumerable<NodeReport> nodes) => Election.Winner(address, nodes, _ => true);

    [Property]
    public Property Every_agent_with_the_same_view_picks_the_same_winner_whatever_order_it_lists_peers_in()
    {
        return Prop.ForAll(NodeNames().ToArbitrary(), Addresses().ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (names, address, seed) =>
        {
            var nodes = names.Select(n => Node(n, subnets: Wide)).ToList();
            var shuffled = nodes.OrderBy(n => HashCode.Combine(n.Node, seed)).ToList();
            return Win(address, nodes)!.Node == Win(address, shuffled)!.Node;
        });
    }

    [Property]
    public Property Removing_a_node_moves_only_the_addresses_it_owned()
    {
        return Prop.ForAll(NodeNames().Where(n => n.Length >= 2).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (names, pick) =>
        {
            var nodes = names.Select(n => Node(n, subnets: Wide)).ToList();
            var removed = nodes[pick % nodes.Count];
            var remaining = nodes.Where(n => n != removed).ToList();
            return Lan4Addresses(200).All(address =>
            {
                var before = Win(address, nodes)!.Node;
                var after = Win(address, remaining)!.Node;
                return before == removed.Node ? after != removed.Node : after == before;
            });
        });
    }

    [Property]
    public Property Adding_a_node_moves_only_the_addresses_it_now_wins()
    {
        return Prop.ForAll(NodeNames().Where(n => n.Length >= 2).ToArbitrary(), names =>
        {
            var before = names.Skip(1).Select(n => Node(n, subnets: Wide)).ToList();
            var added = Node(names[0], subnets: Wide);
            var after = before.Append(added).ToList();
            return Lan4Addresses(200).All(address =>
            {
                var newWinner = Win(address, after)!.Node;
                return newWinner == added.Node || newWinner == Win(address, before)!.Node;
            });
        });
    }

    [Property]
    public Property A_node_without_ready_endpoints_never_wins_under_local_policy()
    {
        return Prop.ForAll(NodeNames().ToArbitrary(), Addresses().ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(), (names, address, mask) =>
        {
            var nodes = names.Select(n => Node(n, subnets: Wide)).ToList();
            var ready = names.Where((_, i) => (mask & (1 << i)) != 0).ToHashSet();
            var winner = Election.Winner(address, nodes, ready.Contains);
            return ready.Count == 0 ? winner is null : winner is not null && ready.Contains(winner.Node);
        });
    }

    [Fact]
    public void Only_live_candidates_with_link_up_on_the_address_subnet_can_win()
    {
        var address = IPAddress.Parse("198.18.0.50");
        var nodes = new[]
        {
            Node("link-down", linkUp: false),
            Node("not-candidate", candidate: false),
            Node("other-subnet", subnets: IPNetwork.Parse("198.19.0.0/24")),
            Node("ok"),
        };

        Win(address, nodes)!.Node.Should().Be("ok");
        Win(address, nodes.Take(3)).Should().BeNull("nobody else can answer ARP for it on that LAN");
        Win(IPAddress.Parse("fd00:beac::50"), nodes)!.Node.Should().Be("ok");
        Win(IPAddress.Parse("fd00:beef::50"), nodes).Should().BeNull();
    }

    [Fact]
    public void Addresses_spread_roughly_evenly_across_nodes()
    {
        var nodes = Enumerable.Range(1, 4).Select(i => Node($"node{i}", subnets: Wide)).ToList();
        var counts = Lan4Addresses(4000).GroupBy(a => Win(a, nodes)!.Node).ToDictionary(g => g.Key, g => g.Count());

        counts.Should().HaveCount(4);
        counts.Values.Should().OnlyContain(c => c > 850 && c < 1150, "each of 4 nodes should get about 1000 of 4000 addresses: {0}", string.Join(", ", counts));
    }

    [Fact]
    public void The_score_depends_on_both_node_and_address_and_is_stable()
    {
        var a = IPAddress.Parse("198.18.0.10");
        RendezvousScore.Of("node1", a).Should().Be(RendezvousScore.Of("node1", IPAddress.Parse("198.18.0.10")));
        RendezvousScore.Of("node1", a).Should().NotBe(RendezvousScore.Of("node2", a));
        RendezvousScore.Of("node1", a).Should().NotBe(RendezvousScore.Of("node1", IPAddress.Parse("198.18.0.11")));
    }
}
