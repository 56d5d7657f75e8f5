using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Daemons;

/// <summary>
/// An upstream router running BIRD (eBGP, ECMP into its kernel, optional BFD) and cluster nodes on one LAN.
/// Router AS 65000 at 198.18.0.1 / fd00:beac::1; node N in AS 65010 at 198.18.0.1N / fd00:beac::1N, with one IPv4
/// and one IPv6 session each. Node daemons are started by the test (BIRD, FRR or GoBGP).
/// </summary>
public sealed class BgpLab : IAsyncDisposable
{
    public const uint RouterAsn = 65000;
    public const uint NodeAsn = 65010;
    public const string RouterIpv4 = "198.18.0.1";
    public const string RouterIpv6 = "fd00:beac::1";

    private readonly NetLab _lab;
    private readonly List<IAsyncDisposable> _daemons = [];

    private BgpLab(NetLab lab, LanSegment lan, NetworkNamespace router, IReadOnlyList<LabNode> nodes)
    {
        _lab = lab;
        Lan = lan;
        Router = router;
        Nodes = nodes;
    }

    public LanSegment Lan { get; }

    public NetworkNamespace Router { get; }

    public BirdDaemon RouterBird { get; private set; } = null!;

    public IReadOnlyList<LabNode> Nodes { get; }

    /// <summary>The router's neighbours: an IPv4 and an IPv6 session per node.</summary>
    public static IEnumerable<BgpPeer> RouterPeers(IEnumerable<LabNode> nodes) =>
        nodes.SelectMany(n => new[] { new BgpPeer(n.Name + "_v4", n.Ipv4, NodeAsn), new BgpPeer(n.Name + "_v6", n.Ipv6, NodeAsn) });

    /// <summary>A node's neighbours: the router over IPv4 and over IPv6.</summary>
    public static IReadOnlyList<BgpPeer> UpstreamPeers { get; } =
        [new BgpPeer("up4", RouterIpv4, RouterAsn), new BgpPeer("up6", RouterIpv6, RouterAsn)];

    public static async Task<BgpLab> CreateAsync(int nodeCount, bool bfd)
    {
        var lab = await NetLab.CreateAsync();
        try
        {
            var lan = await lab.AddSegmentAsync("lan");
            var router = await lab.AddHostAsync("router");
            await lan.AttachAsync(router, "eth0", RouterIpv4 + "/24", RouterIpv6 + "/64");
            var nodes = new List<LabNode>();
            for (var i = 1; i <= nodeCount; i++)
            {
                var node = new LabNode(i, await lab.AddHostAsync($"node{i}"));
                await lan.AttachAsync(node.Host, "eth0", node.Ipv4 + "/24", node.Ipv6 + "/64");
                // The kernel flushes static IPv6 addresses when a link goes down; a pulled and replugged cable must not.
                await node.Host.ExecCheckedAsync("sysctl", "-qw", "net.ipv6.conf.eth0.keep_addr_on_down=1");
                // This kernel has no dummy driver: a veth pair with both ends up stands in for kube-lb0 (up, carrier).
                await node.Host.IpAsync("link", "add", "kube-lb0", "type", "veth", "peer", "name", "kube-lb0-peer");
                await node.Host.IpAsync("link", "set", "kube-lb0-peer", "up");
                await node.Host.IpAsync("link", "set", "kube-lb0", "up");
                nodes.Add(node);
            }

            var result = new BgpLab(lab, lan, router, nodes);
            result.RouterBird = await BirdDaemon.StartAsync(router, _ => BirdConfigs.Router(RouterIpv4, RouterAsn, RouterPeers(nodes), bfd));
            result._daemons.Add(result.RouterBird);
            return result;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keeps a node daemon alive for the lab's lifetime; it is stopped before the namespaces go.</summary>
    public T Own<T>(T daemon) where T : IAsyncDisposable
    {
        _daemons.Add(daemon);
        return daemon;
    }

    /// <summary>Waits until every router session is Established (BFD, when on, comes up with them).</summary>
    public Task WaitForSessionsAsync(TimeSpan timeout) =>
        Eventually.MatchesAsync(
            () => RouterBird.CommandAsync("show protocols"),
            text => text.Split('\n').Where(l => l.Contains(" BGP ", StringComparison.Ordinal)).All(l => l.Contains("Established", StringComparison.Ordinal)),
            timeout,
            "every BGP session of the router established");

    public Task<IReadOnlyList<string>> NextHopsAsync(string prefix) => KernelRoutes.NextHopsAsync(Router, prefix);

    /// <summary>Polls the router's kernel until the route for <paramref name="prefix"/> has exactly these next hops.</summary>
    public Task<IReadOnlyList<string>> WaitForNextHopsAsync(string prefix, IEnumerable<string> expected, TimeSpan timeout)
    {
        var want = expected.Order(StringComparer.Ordinal).ToList();
        return Eventually.MatchesAsync(
            () => NextHopsAsync(prefix),
            hops => hops.SequenceEqual(want),
            timeout,
            $"router route {prefix} via [{string.Join(", ", want)}]");
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _daemons.Count - 1; i >= 0; i--)
        {
            await _daemons[i].DisposeAsync();
        }

        await _lab.DisposeAsync();
    }
}
