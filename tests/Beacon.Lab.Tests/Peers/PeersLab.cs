using System.Globalization;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Lab.Tests.Peers;

/// <summary>
/// The smallest lab where BGP peers come from resources: a BIRD router (AS 65000, BFD) that defines an iBGP session
/// to node1, and node1 running nats-server, the standalone Allocator on a manifest directory, the NodeAgent, the
/// Announcer in one routing mode and that mode's daemon (BIRD, FRR with bfdd, or gobgpd) whose hand-written
/// configuration has no BGP peer at all. Whatever session the node opens, the Announcer made it from a BGPPeer.
/// Everything lives in this lab's namespaces.
/// </summary>
internal sealed class PeersLab : IAsyncDisposable
{
    public const uint Asn = 65000;
    public const string RouterIpv4 = "198.18.0.1";
    private const int NatsPort = 4222;

    private readonly NetLab _lab;
    private readonly List<IAsyncDisposable> _owned = [];

    private PeersLab(NetLab lab, NetworkNamespace router, LabNode node, string manifests, PeersLabMode mode)
    {
        _lab = lab;
        Router = router;
        Node = node;
        Manifests = manifests;
        Mode = mode;
        StateDirectory = DaemonDirectory.Create("peers-state");
    }

    public PeersLabMode Mode { get; }

    public NetworkNamespace Router { get; }

    public LabNode Node { get; }

    public BirdDaemon RouterBird { get; private set; } = null!;

    /// <summary>The node's BIRD (bird mode).</summary>
    public BirdDaemon NodeBird => _nodeBird ?? throw new InvalidOperationException($"no node BIRD in {Mode} mode");

    /// <summary>The node's FRR with bfdd (frr mode).</summary>
    public FrrDaemon NodeFrr => _nodeFrr ?? throw new InvalidOperationException($"no node FRR in {Mode} mode");

    /// <summary>The node's gobgpd (gobgp mode).</summary>
    public GoBgpDaemon NodeGoBgp => _nodeGoBgp ?? throw new InvalidOperationException($"no node gobgpd in {Mode} mode");

    /// <summary>Where the standalone Allocator keeps its state file and the status objects file beside it.</summary>
    public string StateDirectory { get; }

    public string StateFile => Path.Combine(StateDirectory, "allocator-state.json");

    private BirdDaemon? _nodeBird;
    private FrrDaemon? _nodeFrr;
    private GoBgpDaemon? _nodeGoBgp;

    public string Manifests { get; }

    public IReadOnlyList<ServiceProcess> Services { get; private set; } = [];

    /// <param name="routerConfig">The router's BIRD config for node1 (default <see cref="RouterConfig"/>).</param>
    public static async Task<PeersLab> StartAsync(string nodeManifests, PeersLabMode mode = PeersLabMode.Bird, Func<LabNode, string>? routerConfig = null)
    {
        var lab = await NetLab.CreateAsync();
        var manifests = DaemonDirectory.Create("peers-manifests");
        PeersLab? result = null;
        try
        {
            var lan = await lab.AddSegmentAsync("lan");
            var router = await lab.AddHostAsync("router");
            await lan.AttachAsync(router, "eth0", RouterIpv4 + "/24", "fd00:beac::1/64");
            var node = new LabNode(1, await lab.AddHostAsync("node1"));
            await lan.AttachAsync(node.Host, "eth0", node.Ipv4 + "/24", node.Ipv6 + "/64");
            await node.Host.IpAsync("route", "add", "default", "via", RouterIpv4);
            // No dummy driver in this kernel: a veth pair with both ends up stands in for kube-lb0.
            await node.Host.IpAsync("link", "add", "kube-lb0", "type", "veth", "peer", "name", "kube-lb0-peer");
            await node.Host.IpAsync("link", "set", "kube-lb0-peer", "up");
            await node.Host.IpAsync("link", "set", "kube-lb0", "up");
            await File.WriteAllTextAsync(Path.Combine(manifests, "00-node.yaml"), nodeManifests);
            result = new PeersLab(lab, router, node, manifests, mode);
            result.RouterBird = result.Own(await BirdDaemon.StartAsync(router, _ => (routerConfig ?? RouterConfig)(node)));
            await result.StartNodeDaemonAsync();
            await result.StartServicesAsync();
            return result;
        }
        catch
        {
            if (result is not null)
            {
                await result.DisposeAsync();
            }
            else
            {
                await lab.DisposeAsync();
                DaemonDirectory.TryDelete(manifests);
            }

            throw;
        }
    }

    /// <summary>
    /// The router: a defined iBGP neighbour for node1 (local-pref crosses only iBGP; <c>direct</c>: the next hop is on
    /// the LAN) with BFD, importing everything it is sent.
    /// </summary>
    public static string RouterConfig(LabNode node) => string.Create(CultureInfo.InvariantCulture, $$"""
        router id {{RouterIpv4}};
        protocol device { scan time 1; }
        protocol bfd { interface "*" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }
        protocol bgp node1 {
          local as {{Asn}};
          neighbor {{node.Ipv4}} as {{Asn}};
          direct;
          hold time 3; keepalive time 1; connect delay time 1; connect retry time 1; error wait time 1, 2;
          bfd on;
          ipv4 { import all; export none; };
        }

        """);

    /// <summary>
    /// A router that listens on TCP <paramref name="port"/> for node1, with TCP MD5 <paramref name="password"/> and a
    /// hold time of 240 s, so the session's negotiated hold time is the node's.
    /// </summary>
    public static string RouterConfigWithPassword(LabNode node, int port, string password) => string.Create(CultureInfo.InvariantCulture, $$"""
        router id {{RouterIpv4}};
        protocol device { scan time 1; }
        protocol bgp node1 {
          local port {{port}} as {{Asn}};
          neighbor {{node.Ipv4}} as {{Asn}};
          direct;
          password "{{password}}";
          hold time 240; connect delay time 1; connect retry time 1; error wait time 1, 2;
          ipv4 { import all; export none; };
        }

        """);

    /// <summary>Replaces the router's BIRD configuration and has BIRD apply it.</summary>
    public async Task ReconfigureRouterAsync(string config)
    {
        await File.WriteAllTextAsync(RouterBird.ConfigPath, config);
        (await RouterBird.CommandAsync("configure")).Should().Contain("Reconfigur", "BIRD accepts the new configuration");
    }

    /// <summary>Puts a peer's password where the Announcer reads it (<c>--bgp-password-directory</c>/PEER/password).</summary>
    public async Task WritePasswordAsync(string peer, string password)
    {
        var directory = Path.Combine(StateDirectory, "secrets", peer);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "password"), password + "\n");
    }

    /// <summary>The node's own BIRD: device scanning and the Announcer's include file, no BGP protocol of its own.</summary>
    public static string NodeConfig(LabNode node, string includePath) => string.Create(CultureInfo.InvariantCulture, $$"""
        router id {{node.Ipv4}};
        protocol device { scan time 1; }
        include "{{includePath}}";

        """);

    private async Task StartNodeDaemonAsync()
    {
        switch (Mode)
        {
            case PeersLabMode.Bird:
                _nodeBird = Own(await BirdDaemon.StartAsync(Node.Host, d => NodeConfig(Node, d.IncludePath), include: "# empty until the Announcer writes it\n"));
                break;
            case PeersLabMode.Frr:
                // bfdd runs with no session of its own: the Announcer's neighbours bring their BFD profiles.
                _nodeFrr = Own(await FrrDaemon.StartAsync(Node.Host, FrrConfigs.Node(Node.Ipv4, Asn, []), bfddConfig: ""));
                break;
            default:
                _nodeGoBgp = Own(await GoBgpDaemon.StartAsync(Node.Host, GoBgpConfigs.Node(Node.Ipv4, Asn, [])));
                break;
        }
    }

    /// <summary>The Announcer's options that point its mode at the node's daemon.</summary>
    private IEnumerable<string> ModeArguments() => Mode switch
    {
        PeersLabMode.Bird => ["--mode", "bird", "--bird-include-path", NodeBird.IncludePath, "--bird-control-socket", NodeBird.SocketPath],
        PeersLabMode.Frr => ["--mode", "frr", "--frr-vtysh-arguments=" + string.Join(',', NodeFrr.VtyshArguments)],
        _ => ["--mode", "gobgp", "--gobgp-api-target", NodeGoBgp.ApiTarget, "--gobgp-config-path", NodeGoBgp.ConfigPath, "--gobgp-connect-retry", "1s"],
    };

    /// <summary>
    /// What the node's daemon holds of Beacon's peers: BIRD's include file, FRR's running configuration, gobgpd's
    /// neighbour list.
    /// </summary>
    public async Task<string> NodeDaemonStateAsync() => Mode switch
    {
        PeersLabMode.Bird => File.Exists(NodeBird.IncludePath) ? await File.ReadAllTextAsync(NodeBird.IncludePath) : "(no include file)",
        PeersLabMode.Frr => await NodeFrr.VtyshAsync("show running-config"),
        _ => await NodeGoBgp.GobgpAsync("neighbor"),
    };

    /// <summary>Everything the Announcer logged so far.</summary>
    public string AnnouncerTranscript => Services[2].Transcript;

    public Task WriteManifestAsync(string file, string yaml) => File.WriteAllTextAsync(Path.Combine(Manifests, file), yaml);

    public void DeleteManifest(string file) => File.Delete(Path.Combine(Manifests, file));

    /// <summary>Polls <c>birdc</c> on the router until <paramref name="accept"/> holds; fails with the last output and the services' logs.</summary>
    public async Task<string> WaitForRouterAsync(string command, Func<string, bool> accept, string what, TimeSpan timeout)
    {
        try
        {
            return await Eventually.MatchesAsync(() => RouterBird.CommandAsync(command), accept, timeout, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- node {Mode} ---\n{await NodeDaemonStateAsync()}\n{string.Join('\n', Services.Select(s => s.Transcript))}", e);
        }
    }

    private async Task StartServicesAsync()
    {
        var ns = Node.Host.Name;
        var nats = Node.Host.Start("nats-server", ["-a", "127.0.0.1", "-p", NatsPort.ToString(CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(Manifests, "..", Path.GetFileName(Manifests) + "-js")]);
        _owned.Add(nats);
        var url = string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{NatsPort}");
        var allocator = ServiceProcess.Start("Allocator",
        [
            "--source", "standalone", "--manifests-directory", Manifests, "--state-file", StateFile,
            "--rescan-interval", "1s", "--nats-url", url, "--http-address", "127.0.0.1", "--http-port", "9470", "--log-format", "text",
        ], networkNamespace: ns);
        var agent = ServiceProcess.Start("NodeAgent",
        [
            "--node-name", Node.Name, "--interface", "eth0", "--nats-url", url,
            "--http-address", "127.0.0.1", "--http-port", "9471", "--log-format", "text",
        ], networkNamespace: ns);
        var announcer = ServiceProcess.Start("Announcer",
        [
            .. ModeArguments(), "--node-name", Node.Name, "--nats-url", url, "--node-labels", "zone=a",
            "--bgp-password-directory", Path.Combine(StateDirectory, "secrets"),
            "--http-address", "127.0.0.1", "--http-port", "9472", "--log-format", "text",
        ], networkNamespace: ns);
        Services = [allocator, agent, announcer];
        foreach (var service in Services)
        {
            _owned.Add(service);
            await service.WaitForListeningAsync(TimeSpan.FromSeconds(30));
        }
    }

    private T Own<T>(T daemon) where T : IAsyncDisposable
    {
        _owned.Add(daemon);
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await _lab.DisposeAsync();
        DaemonDirectory.TryDelete(Manifests);
        DaemonDirectory.TryDelete(Manifests + "-js");
        DaemonDirectory.TryDelete(StateDirectory);
    }
}
