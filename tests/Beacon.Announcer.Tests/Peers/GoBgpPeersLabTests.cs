using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using Beacon.TestSupport.Daemons;
using Microsoft.Extensions.Logging.Abstractions;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>
/// A resource peer in the gobgp mode against real gobgpd and the lab's BIRD router: gobgpd starts with no neighbour,
/// the mode adds the session from the peer (without BFD, which gobgpd lacks), the advertisement's community reaches
/// the router and a route no advertisement names it for does not (until one does), the peer's hold time is the
/// session's and a changed one renegotiated, and removing the peer deletes the neighbour.
/// </summary>
public sealed class GoBgpPeersLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_resource_peer_becomes_a_gobgp_neighbour_that_the_router_sees_established_and_goes_when_removed()
    {
        await using var lab = await BgpLab.CreateAsync(1, bfd: false);
        var node = lab.Nodes[0];
        var daemon = lab.Own(await GoBgpDaemon.StartAsync(node.Host, GoBgpConfigs.Node(node.Ipv4, BgpLab.NodeAsn, [])));
        var mode = new GoBgpMode(
            new GoBgpModeOptions { ApiTarget = daemon.ApiTarget, ConfigPath = daemon.ConfigPath, ConnectRetry = TimeSpan.FromSeconds(1) },
            new ProcessCommandRunner(), new GoBgpdHangup(), NullLogger<GoBgpMode>.Instance);
        var router = new ResourcePeer(Peer("router", BgpLab.RouterIpv4, BgpLab.NodeAsn, BgpLab.RouterAsn) with { HoldTime = "6s" }, null);
        var web = Desired.Routed("default/web", "198.19.10.5") with
        {
            ToPeers = [new PeerAdvertisement("router", new BgpAttributes(["65000:300"], [], null))],
        };

        var other = Desired.Routed("default/other", "198.19.10.6");

        var outcome = await mode.ApplyAsync(new AnnouncementSet([web, other], [router]), default);

        outcome.Succeeded.Should().BeTrue(outcome.Problem);
        await Eventually.MatchesAsync(() => lab.RouterBird.CommandAsync("show protocols"),
            t => t.Split('\n').Any(l => l.StartsWith("node1_v4 ", StringComparison.Ordinal) && l.Contains("Established", StringComparison.Ordinal)),
            Converge, "router session node1_v4 Established");
        await lab.WaitForNextHopsAsync("198.19.10.5/32", [node.Ipv4], Converge);
        (await lab.RouterBird.CommandAsync("show route 198.19.10.5/32 all")).Should().Contain("BGP.community: (65000,300)");
        (await lab.RouterBird.CommandAsync("show route")).Should().NotContain("198.19.10.6/32", "no advertisement names the router for it");
        (await mode.ApplyAsync(new AnnouncementSet([web, other], [router]), default)).Changes.Should().Be(0, "the neighbour is already as wanted");
        await WaitForHoldTimeAsync(daemon, 6);

        // A new hold time is only negotiated in a new session: the mode re-creates this neighbour, and the route comes back.
        router = router with { Config = router.Config with { HoldTime = "9s" } };
        (await mode.ApplyAsync(new AnnouncementSet([web, other], [router]), default)).Succeeded.Should().BeTrue();
        await WaitForHoldTimeAsync(daemon, 9);
        await lab.WaitForNextHopsAsync("198.19.10.5/32", [node.Ipv4], Converge);

        var toRouter = other with { ToPeers = [new PeerAdvertisement("router", BgpAttributes.None)] };
        (await mode.ApplyAsync(new AnnouncementSet([web, toRouter], [router]), default)).Succeeded.Should().BeTrue();
        await lab.WaitForNextHopsAsync("198.19.10.6/32", [node.Ipv4], Converge);

        (await mode.ApplyAsync(new AnnouncementSet([web]), default)).Succeeded.Should().BeTrue();

        await Eventually.MatchesAsync(() => lab.RouterBird.CommandAsync("show protocols"),
            t => t.Split('\n').Any(l => l.StartsWith("node1_v4 ", StringComparison.Ordinal) && !l.Contains("Established", StringComparison.Ordinal)),
            Converge, "router session node1_v4 down");
        (await daemon.GobgpAsync("neighbor")).Should().NotContain(BgpLab.RouterIpv4, "the peer's neighbour is gone from gobgpd");
    }

    /// <summary>
    /// gobgpd's session to the router established with this configured hold time (the router's own 3 s is what they
    /// negotiate; PeersLabTests shows a negotiated one at a router that accepts longer).
    /// </summary>
    private static Task<string> WaitForHoldTimeAsync(GoBgpDaemon daemon, int seconds) =>
        Eventually.MatchesAsync(() => daemon.GobgpAsync("neighbor", BgpLab.RouterIpv4),
            t => t.Contains("BGP state = ESTABLISHED", StringComparison.Ordinal) && t.Contains($"Configured hold time is {seconds},", StringComparison.Ordinal),
            Converge, $"gobgpd's session to the router established with hold time {seconds}");
}
