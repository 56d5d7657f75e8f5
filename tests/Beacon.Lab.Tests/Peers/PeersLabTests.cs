using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Beacon.TestSupport.Daemons;

namespace Beacon.Lab.Tests.Peers;

/// <summary>
/// A MetalLB BGP user's manifests, unchanged, give sessions in every routing mode without any daemon syntax: a
/// BGPPeer dropped into the standalone manifest directory, before any Service exists, becomes a session the router
/// sees Established with BFD Up (bird, frr; gobgpd has no BFD, and the Announcer says the profile is refused); once
/// the pool, advertisement and Services arrive, the BGPAdvertisement's community (a Community alias), large community
/// and local-pref are on the router's received route, and the Allocator's ServiceBGPStatus and ServiceL2Status name
/// the node, the Service and the peer; deleting the BGPPeer removes the session and the daemon's neighbour. In gobgp
/// mode an OpenELB BgpConf and BgpPeer for the same router then bring the session back, carrying the route of a
/// Service in a BGP Eip, and deleting them takes it down. In gobgp mode a BGPPeer's password, port and timers are the
/// session's (gobgpd's config file, reloaded), a changed hold time is renegotiated, and delete removes the neighbour.
/// </summary>
public sealed partial class PeersLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(PeersLabMode.Bird)]
    [InlineData(PeersLabMode.Frr)]
    [InlineData(PeersLabMode.GoBgp)]
    public async Task A_BGPPeer_resource_comes_up_without_any_Service_carries_the_advertisements_attributes_shows_in_the_status_objects_and_goes_on_delete(
        PeersLabMode mode)
    {
        await using var lab = await PeersLab.StartAsync(PeersLabManifests.Node, mode);
        (await lab.RouterBird.CommandAsync("show protocols")).Should().NotContain("Established", "the node's own daemon config has no peer");

        await lab.WriteManifestAsync("10-peer.yaml", PeersLabManifests.MetalLbPeer);

        await WaitForSessionAsync(lab, established: true);
        if (mode == PeersLabMode.GoBgp)
        {
            await Eventually.MatchesAsync(() => Task.FromResult(lab.AnnouncerTranscript), t => t.Contains("BFD (profile 'fast': gobgpd has no BFD)", StringComparison.Ordinal),
                Converge, "the Announcer saying the BFD profile is refused in gobgp mode");
            (await lab.RouterBird.CommandAsync("show bfd sessions")).Should().NotContain(" Up ", "gobgpd has no BFD");
        }
        else
        {
            await lab.WaitForRouterAsync("show bfd sessions", t => Line(t, "198.18.0.11").Contains(" Up ", StringComparison.Ordinal), "BFD session with node1 Up", Converge);
        }

        (await lab.RouterBird.CommandAsync("show route protocol node1")).Should().NotContain("198.19.", "no Service yet: the session carries no route");

        await lab.WriteManifestAsync("20-services.yaml", PeersLabManifests.Services);

        var route = await lab.WaitForRouterAsync("show route all", t => RoutedAddress().IsMatch(t), "a route for the Service's address", Converge);
        route.Should().Contain("BGP.local_pref: 250").And.Contain("BGP.community: (65000,300)").And.Contain("BGP.large_community: (65000, 7, 8)");
        await AssertStatusObjectsAsync(lab);

        lab.DeleteManifest("10-peer.yaml");

        await WaitForSessionAsync(lab, established: false);
        await Eventually.MatchesAsync(lab.NodeDaemonStateAsync, s => !RouterAddress().IsMatch(s), Converge, "the deleted peer gone from the node's daemon");

        if (mode == PeersLabMode.GoBgp)
        {
            await lab.WriteManifestAsync("30-openelb-peer.yaml", PeersLabManifests.OpenElbPeer);
            await WaitForSessionAsync(lab, established: true);
            (await lab.NodeDaemonStateAsync()).Should().MatchRegex(RouterAddress().ToString(), "gobgpd holds the OpenELB peer's neighbour");
            await lab.WaitForRouterAsync("show route", t => t.Contains("198.19.30.1/32", StringComparison.Ordinal), "the BGP Eip's Service's route over the OpenELB peer", Converge);
            lab.DeleteManifest("30-openelb-peer.yaml");
            await WaitForSessionAsync(lab, established: false);
        }
    }

    [Fact]
    public async Task In_gobgp_mode_a_BGPPeers_password_port_and_timers_make_the_session_a_changed_hold_time_is_renegotiated_and_delete_removes_it()
    {
        // The router listens on 1179 only, signs with TCP MD5, and holds for 240 s, so the negotiated hold time is the node's.
        await using var lab = await PeersLab.StartAsync(PeersLabManifests.Node, PeersLabMode.GoBgp, n => PeersLab.RouterConfigWithPassword(n, 1179, "not-the-same"));
        await lab.WritePasswordAsync("router-md5", "lab-s3cret");

        await lab.WriteManifestAsync("10-peer.yaml", PeerWithTimers(9, 3));

        await Eventually.MatchesAsync(() => lab.NodeGoBgp.GobgpAsync("neighbor", "-j"), t => Neighbor(t, "198.18.0.1") is { } n
                && n["conf"]?["auth_password"]?.GetValue<string>() == "lab-s3cret" && n["transport"]?["remote_port"]?.GetValue<int>() == 1179
                && n["timers"]?["config"]?["hold_time"]?.GetValue<int>() == 9 && n["timers"]?["config"]?["keepalive_interval"]?.GetValue<int>() == 3,
            Converge, "gobgpd running the BGPPeer's neighbour with its password, port and timers");

        // A wrong password on one side: the router's kernel drops the node's MD5-signed SYNs. gobgpd retries every second,
        // so a few seconds without a session are several refused attempts (a negative has no event to await).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(4))
        {
            Line(await lab.RouterBird.CommandAsync("show protocols"), "node1").Should().NotContain("Established", "the router has another password");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        await lab.ReconfigureRouterAsync(PeersLab.RouterConfigWithPassword(lab.Node, 1179, "lab-s3cret"));
        await WaitForHoldTimeAsync(lab, 9);

        await lab.WriteManifestAsync("10-peer.yaml", PeerWithTimers(12, 4));
        await WaitForHoldTimeAsync(lab, 12);

        lab.DeleteManifest("10-peer.yaml");
        await WaitForSessionAsync(lab, established: false);
        await Eventually.MatchesAsync(lab.NodeDaemonStateAsync, s => !RouterAddress().IsMatch(s), Converge, "the deleted peer gone from gobgpd");
    }

    private static string PeerWithTimers(int hold, int keepalive) => PeersLabManifests.MetalLbPeerWithPassword
        .Replace("HOLD", hold + "s", StringComparison.Ordinal).Replace("KEEPALIVE", keepalive + "s", StringComparison.Ordinal);

    private static JsonNode? Neighbor(string json, string address) =>
        JsonNode.Parse(json)?.AsArray().FirstOrDefault(n => n?["conf"]?["neighbor_address"]?.GetValue<string>() == address);

    /// <summary>The router's session to node1 Established with this negotiated hold time (BIRD: "Hold timer: left/negotiated").</summary>
    private static Task<string> WaitForHoldTimeAsync(PeersLab lab, int seconds) =>
        lab.WaitForRouterAsync("show protocols all node1",
            t => t.Contains("Established", StringComparison.Ordinal)
                && t.Split('\n').Any(l => l.Contains("Hold timer:", StringComparison.Ordinal) && l.TrimEnd().EndsWith("/" + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            $"router session to node1 Established with hold time {seconds}", Converge);

    private static Task WaitForSessionAsync(PeersLab lab, bool established) =>
        lab.WaitForRouterAsync("show protocols", t => Line(t, "node1").Contains("Established", StringComparison.Ordinal) == established,
            established ? "router session to node1 Established" : "router session to node1 down", Converge);

    /// <summary>
    /// The status objects file beside the standalone Allocator's state file: one ServiceBGPStatus for demo/web on node1
    /// naming the peer its route went to, and one ServiceL2Status for demo/intranet on node1 naming eth0.
    /// </summary>
    private static async Task AssertStatusObjectsAsync(PeersLab lab)
    {
        var path = Path.ChangeExtension(lab.StateFile, ".status.json");
        var text = await Eventually.MatchesAsync(
            async () => File.Exists(path) ? await File.ReadAllTextAsync(path) : "",
            t => Status(t, "ServiceBGPStatus", "web")?["peers"]?.AsArray().Count > 0 && Status(t, "ServiceL2Status", "intranet") is not null,
            Converge, $"ServiceBGPStatus with peers and ServiceL2Status in {path}");
        var bgp = Status(text, "ServiceBGPStatus", "web")!;
        bgp["node"]!.GetValue<string>().Should().Be("node1");
        bgp["serviceNamespace"]!.GetValue<string>().Should().Be("demo");
        bgp["peers"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("router");
        var l2 = Status(text, "ServiceL2Status", "intranet")!;
        l2["node"]!.GetValue<string>().Should().Be("node1");
        l2["interfaces"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).Should().Equal("eth0");
        Status(text, "ServiceL2Status", "web").Should().BeNull("the routed Service is not announced in layer 2");
    }

    private static JsonNode? Status(string text, string kind, string service)
    {
        if (text.Length == 0)
        {
            return null;
        }

        return JsonNode.Parse(text)!["items"]!.AsArray()
            .FirstOrDefault(i => i!["kind"]!.GetValue<string>() == kind && i["status"]?["serviceName"]?.GetValue<string>() == service)?["status"];
    }

    private static string Line(string text, string containing) =>
        text.Split('\n').FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal)) ?? "";

    /// <summary>The router's address and not the node's (198.18.0.11), which starts the same.</summary>
    [GeneratedRegex(@"198\.18\.0\.1\b")]
    private static partial Regex RouterAddress();

    [GeneratedRegex(@"198\.19\.20\.\d+/32")]
    private static partial Regex RoutedAddress();
}
