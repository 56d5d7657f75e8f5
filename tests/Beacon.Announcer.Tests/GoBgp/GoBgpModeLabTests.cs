using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Routing;
using Beacon.TestSupport.Daemons;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.GoBgp;

/// <summary>The gobgp mode against real gobgpd on three nodes, peering with the BIRD router of the lab.</summary>
public sealed class GoBgpModeLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Router_learns_routes_from_GoBGP_nodes_with_ECMP_and_communities_and_loses_them_on_delete()
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd: false);
        var daemons = new List<GoBgpDaemon>();
        foreach (var node in lab.Nodes)
        {
            daemons.Add(lab.Own(await GoBgpDaemon.StartAsync(node.Host, GoBgpConfigs.Node(node.Ipv4, BgpLab.NodeAsn, BgpLab.UpstreamPeers))));
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

        // A restarted announcer with the same set changes nothing.
        (await NewMode(daemons[0]).ApplyAsync(Desired.Of(web, api, batch, v6), default)).Changes.Should().Be(0);

        // Changing attributes replaces the path rather than adding a second one.
        var plain = Desired.Routed("default/web", "198.19.10.5");
        (await modes[0].ApplyAsync(Desired.Of(plain, api, batch, v6), default)).Changes.Should().Be(1);

        for (var i = 0; i < modes.Count; i++)
        {
            (await modes[i].ApplyAsync(i == 2 ? Desired.Of(batch) : Desired.Of(api, batch), default)).Succeeded.Should().BeTrue();
        }

        await lab.WaitForNextHopsAsync("198.19.10.5/32", [], Converge);
        await lab.WaitForNextHopsAsync("fd00:beac:ff::5/128", [], Converge);
        (await lab.NextHopsAsync("198.19.10.6/32")).Should().HaveCount(2);
        (await lab.NextHopsAsync("198.19.11.0/28")).Should().HaveCount(3);
    }

    [Fact]
    public async Task GoBGP_that_is_down_is_reported()
    {
        var mode = new GoBgpMode(
            new GoBgpModeOptions { ApiTarget = "unix:///nonexistent-beacon/api.sock" },
            new ProcessCommandRunner([], TimeSpan.FromSeconds(20)),
            new GoBgpdHangup(),
            NullLogger<GoBgpMode>.Instance);

        var outcome = await mode.ApplyAsync(Desired.Of(Desired.Routed("default/web", "198.19.10.5")), default);

        outcome.Succeeded.Should().BeFalse();
        outcome.Problem.Should().Contain("not reachable");
    }

    private static GoBgpMode NewMode(GoBgpDaemon daemon) =>
        new(new GoBgpModeOptions { ApiTarget = daemon.ApiTarget }, new ProcessCommandRunner(), new GoBgpdHangup(), NullLogger<GoBgpMode>.Instance);
}
