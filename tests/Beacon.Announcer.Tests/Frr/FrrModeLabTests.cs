using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.Routing;
using Beacon.TestSupport.Daemons;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.Frr;

/// <summary>The frr mode against real FRR (zebra + bgpd) on three nodes, peering with the BIRD router of the lab.</summary>
public sealed class FrrModeLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Router_learns_routes_from_FRR_nodes_with_ECMP_and_communities_and_loses_them_on_delete()
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd: false);
        var daemons = new List<FrrDaemon>();
        foreach (var node in lab.Nodes)
        {
            var config = FrrConfigs.Node(node.Ipv4, BgpLab.NodeAsn, BgpLab.UpstreamPeers);
            if (node.Number == 1)
            {
                // The operator's own announcement: Beacon must never touch it.
                config = config.Replace(" address-family ipv4 unicast\n", " address-family ipv4 unicast\n  network 198.19.99.0/24\n", StringComparison.Ordinal);
            }

            daemons.Add(lab.Own(await FrrDaemon.StartAsync(node.Host, config)));
        }

        await lab.WaitForSessionsAsync(Converge);
        var modes = daemons.Select(NewMode).ToList();
        var web = Desired.Routed("default/web", "198.19.10.5", attributes: Desired.Communities);
        var api = Desired.Routed("default/api", "198.19.10.6");
        var batch = Desired.Routed("default/batch", "198.19.11.1", aggregation: 28);
        var v6 = Desired.Routed("default/web6", "fd00:beac:ff::5", attributes: Desired.Communities);
        for (var i = 0; i < modes.Count; i++)
        {
            var outcome = await modes[i].ApplyAsync(i == 2 ? Desired.Of(web, batch, v6) : Desired.Of(web, api, batch, v6), default);
            outcome.Succeeded.Should().BeTrue(outcome.Problem);
        }

        var all = lab.Nodes.Select(n => n.Ipv4).ToList();
        await lab.WaitForNextHopsAsync("198.19.10.5/32", all, Converge);
        await lab.WaitForNextHopsAsync("198.19.10.6/32", [lab.Nodes[0].Ipv4, lab.Nodes[1].Ipv4], Converge);
        await lab.WaitForNextHopsAsync("198.19.11.0/28", all, Converge);
        await lab.WaitForNextHopsAsync("fd00:beac:ff::5/128", lab.Nodes.Select(n => n.Ipv6), Converge);
        var attributes = await lab.RouterBird.CommandAsync("show route 198.19.10.5/32 all");
        attributes.Should().Contain("BGP.community: (65000,100)").And.Contain("BGP.large_community: (65000, 1, 2)");

        // A new mode instance (restarted announcer) with the same set has nothing to do.
        (await NewMode(daemons[0]).ApplyAsync(Desired.Of(web, api, batch, v6), default)).Changes.Should().Be(0);

        for (var i = 0; i < modes.Count; i++)
        {
            (await modes[i].ApplyAsync(i == 2 ? Desired.Of(batch) : Desired.Of(api, batch), default)).Succeeded.Should().BeTrue();
        }

        await lab.WaitForNextHopsAsync("198.19.10.5/32", [], Converge);
        await lab.WaitForNextHopsAsync("fd00:beac:ff::5/128", [], Converge);
        (await lab.NextHopsAsync("198.19.10.6/32")).Should().HaveCount(2);
        (await lab.NextHopsAsync("198.19.99.0/24")).Should().Equal(lab.Nodes[0].Ipv4);
        var running = await daemons[0].VtyshAsync("show running-config");
        running.Should().Contain("network 198.19.99.0/24\n", "the operator's network is left alone")
            .And.NotContain("198.19.10.5", "stale networks are removed");
        running.Split('\n').Count(l => l.StartsWith("route-map BEACON-", StringComparison.Ordinal))
            .Should().Be(1, "the route-map of the withdrawn attributes is removed, the one still used stays");
    }

    [Fact]
    public async Task FRR_that_is_down_is_reported()
    {
        var mode = new FrrMode(
            new FrrModeOptions { VtyshArguments = ["--vty_socket", "/nonexistent-beacon", "--config_dir", "/nonexistent-beacon"] },
            new ProcessCommandRunner(),
            NullLogger<FrrMode>.Instance);

        var outcome = await mode.ApplyAsync(Desired.Of(Desired.Routed("default/web", "198.19.10.5")), default);

        outcome.Succeeded.Should().BeFalse();
        outcome.Problem.Should().Contain("not reachable");
    }

    private static FrrMode NewMode(FrrDaemon daemon) =>
        new(new FrrModeOptions { VtyshArguments = daemon.VtyshArguments }, new ProcessCommandRunner(), NullLogger<FrrMode>.Instance);
}
