using Beacon.Announcer.Modes;
using Beacon.TestSupport.Daemons;

namespace Beacon.Announcer.Tests.Bird;

/// <summary>
/// The bird mode against real BIRD 2 daemons: three nodes peering over eBGP (with BFD) with a BIRD router that
/// installs ECMP routes into its kernel. What the router forwards to is what a user's traffic would follow.
/// </summary>
public sealed class BirdModeLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Router_learns_each_address_via_every_eligible_node_with_attributes_and_aggregation_and_loses_it_on_delete()
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd: true);
        var nodes = await StartNodesAsync(lab);
        await lab.WaitForSessionsAsync(Converge);
        var modes = nodes.Select(n => n.NewMode()).ToList();

        // web: every node is eligible. api: Local policy with endpoints on node1 and node2 only.
        // batch: a /28 aggregation, two addresses, one route. v6: an IPv6 address on every node.
        var web = Desired.Routed("default/web", "198.19.10.5", attributes: Desired.Communities);
        var api = Desired.Routed("default/api", "198.19.10.6");
        var batch1 = Desired.Routed("default/batch", "198.19.11.1", aggregation: 28);
        var batch2 = Desired.Routed("default/batch", "198.19.11.2", aggregation: 28);
        var v6 = Desired.Routed("default/web6", "fd00:beac:ff::5");
        var full = Desired.Of(web, api, batch1, batch2, v6);
        var withoutApi = Desired.Of(web, batch1, batch2, v6);
        (await modes[0].ApplyAsync(full, default)).Succeeded.Should().BeTrue();
        (await modes[1].ApplyAsync(full, default)).Succeeded.Should().BeTrue();
        (await modes[2].ApplyAsync(withoutApi, default)).Succeeded.Should().BeTrue();

        var all = nodes.Select(n => n.Node.Ipv4).ToList();
        await lab.WaitForNextHopsAsync("198.19.10.5/32", all, Converge);
        await lab.WaitForNextHopsAsync("198.19.10.6/32", [nodes[0].Node.Ipv4, nodes[1].Node.Ipv4], Converge);
        await lab.WaitForNextHopsAsync("198.19.11.0/28", all, Converge);
        await lab.WaitForNextHopsAsync("fd00:beac:ff::5/128", nodes.Select(n => n.Node.Ipv6), Converge);
        (await lab.NextHopsAsync("198.19.11.1/32")).Should().BeEmpty("aggregated addresses are announced only as their /28");

        var attributes = await lab.RouterBird.CommandAsync("show route 198.19.10.5/32 all");
        attributes.Should().Contain("BGP.community: (65000,100)").And.Contain("BGP.large_community: (65000, 1, 2)");

        // Deleting "web" everywhere withdraws it; the others stay.
        foreach (var (mode, i) in modes.Select((m, i) => (m, i)))
        {
            (await mode.ApplyAsync(Desired.Of(i == 2 ? [batch1, batch2, v6] : [api, batch1, batch2, v6]), default)).Succeeded.Should().BeTrue();
        }

        await lab.WaitForNextHopsAsync("198.19.10.5/32", [], Converge);
        (await lab.NextHopsAsync("198.19.10.6/32")).Should().HaveCount(2);
        (await lab.NextHopsAsync("198.19.11.0/28")).Should().HaveCount(3);
    }

    [Fact]
    public async Task A_node_whose_link_dies_loses_its_next_hop_within_a_second_thanks_to_BFD()
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd: true);
        var nodes = await StartNodesAsync(lab);
        await lab.WaitForSessionsAsync(Converge);
        var set = Desired.Of(Desired.Routed("default/web", "198.19.10.5"));
        foreach (var node in nodes)
        {
            (await node.NewMode().ApplyAsync(set, default)).Succeeded.Should().BeTrue();
        }

        await lab.WaitForNextHopsAsync("198.19.10.5/32", nodes.Select(n => n.Node.Ipv4), Converge);
        // Let BFD sessions settle at their fast rate before cutting the cable.
        await Eventually.MatchesAsync(() => lab.RouterBird.CommandAsync("show bfd sessions"), t => t.Split(" Up ").Length - 1 >= 6, Converge, "6 BFD sessions up");

        var cut = System.Diagnostics.Stopwatch.StartNew();
        await nodes[2].Node.Host.SetLinkAsync("eth0", up: false);
        await lab.WaitForNextHopsAsync("198.19.10.5/32", [nodes[0].Node.Ipv4, nodes[1].Node.Ipv4], TimeSpan.FromSeconds(5));
        cut.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "BFD (100 ms x 3) detects the dead path long before the 3 s hold time");
    }

    [Fact]
    public async Task A_restarted_announcer_converges_the_router_to_the_desired_state_without_flapping_unchanged_routes()
    {
        await using var lab = await BgpLab.CreateAsync(1, bfd: false);
        var node = (await StartNodesAsync(lab, bfd: false))[0];
        await lab.WaitForSessionsAsync(Converge);
        var web = Desired.Routed("default/web", "198.19.10.5", attributes: Desired.Communities);
        var old = Desired.Routed("default/old", "198.19.10.9");
        (await node.NewMode().ApplyAsync(Desired.Of(web, old), default)).Succeeded.Should().BeTrue();
        await lab.WaitForNextHopsAsync("198.19.10.9/32", [node.Node.Ipv4], Converge);
        var before = await lab.RouterBird.CommandAsync("show route 198.19.10.5/32 all");

        // The announcer "process" is gone; meanwhile "old" was deleted. A new instance gets the full set.
        await using var restarted = node.NewMode();
        await restarted.StartAsync(default);
        var outcome = await restarted.ApplyAsync(Desired.Of(web), default);

        outcome.Succeeded.Should().BeTrue();
        await lab.WaitForNextHopsAsync("198.19.10.9/32", [], Converge);
        (await lab.RouterBird.CommandAsync("show route 198.19.10.5/32 all"))
            .Should().Be(before, "the route the router already had is untouched: same path, same age");
        (await restarted.ApplyAsync(Desired.Of(web), default)).Changes.Should().Be(0, "applying the same set again is a no-op");
    }

    [Fact]
    public async Task A_config_BIRD_rejects_is_reported_and_the_last_good_file_stays_in_place()
    {
        await using var lab = await BgpLab.CreateAsync(1, bfd: false);
        var node = (await StartNodesAsync(lab, bfd: false))[0];
        await lab.WaitForSessionsAsync(Converge);
        var web = Desired.Routed("default/web", "198.19.10.5");
        (await node.NewMode().ApplyAsync(Desired.Of(web), default)).Succeeded.Should().BeTrue();
        await lab.WaitForNextHopsAsync("198.19.10.5/32", [node.Node.Ipv4], Converge);
        var good = await File.ReadAllTextAsync(node.Bird.IncludePath);

        // "up" clashes with the node's BGP protocols up4/up6: BIRD refuses the file as a whole.
        var clashing = node.NewMode(protocolPrefix: "up");
        var outcome = await clashing.ApplyAsync(Desired.Of(web, Desired.Routed("default/api", "198.19.10.6")), default);

        outcome.Succeeded.Should().BeFalse();
        outcome.Problem.Should().Contain("up4");
        (await File.ReadAllTextAsync(node.Bird.IncludePath)).Should().Be(good);
        (await node.Bird.CommandAsync("configure")).Should().Contain("Reconfigured", "the restored file is one BIRD accepts");
        (await lab.NextHopsAsync("198.19.10.5/32")).Should().Equal(node.Node.Ipv4);
        (await lab.NextHopsAsync("198.19.10.6/32")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_BIRD_that_is_down_is_reported_and_the_include_file_is_not_touched()
    {
        var directory = DaemonDirectory.Create("bird-down");
        try
        {
            var include = Path.Combine(directory, "beacon.conf");
            await File.WriteAllTextAsync(include, "# last good\n");
            var mode = new Modes.Bird.BirdMode(
                new Modes.Bird.BirdModeOptions { IncludePath = include, ControlSocket = Path.Combine(directory, "missing.ctl") },
                new Modes.Bird.BirdControlSocket(Path.Combine(directory, "missing.ctl"), TimeSpan.FromSeconds(2)),
                "node1",
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Modes.Bird.BirdMode>.Instance);

            var outcome = await mode.ApplyAsync(Desired.Of(Desired.Routed("default/web", "198.19.10.5")), default);

            outcome.Succeeded.Should().BeFalse();
            outcome.Problem.Should().Contain("does not answer");
            (await File.ReadAllTextAsync(include)).Should().Be("# last good\n");
        }
        finally
        {
            DaemonDirectory.TryDelete(directory);
        }
    }

    private static async Task<IReadOnlyList<BirdNode>> StartNodesAsync(BgpLab lab, bool bfd = true)
    {
        var nodes = new List<BirdNode>();
        foreach (var node in lab.Nodes)
        {
            nodes.Add(await BirdNode.StartAsync(lab, node, bfd));
        }

        return nodes;
    }
}
