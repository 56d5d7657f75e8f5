using System.Globalization;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Lab.Tests.Peers;

/// <summary>
/// The smallest lab where BGP peers come from resources: a BIRD router (AS 65000, BFD) that defines an iBGP session
/// to node1, and node1 running nats-server, the standalone Allocator on a manifest directory, the NodeAgent, the
/// Announcer in bird mode and its own BIRD whose hand-written configuration has no BGP peer at all. Whatever session
/// the node opens, the Announcer rendered it from a BGPPeer. Everything lives in this lab's namespaces.
/// </summary>
internal sealed class PeersLab : IAsyncDisposable
{
    public const uint Asn = 65000;
    public const string RouterIpv4 = "198.18.0.1";
    private const int NatsPort = 4222;

    private readonly NetLab _lab;
    private readonly List<IAsyncDisposable> _owned = [];

    private PeersLab(NetLab lab, NetworkNamespace router, LabNode node, string manifests)
    {
        _lab = lab;
        Router = router;
        Node = node;
        Manifests = manifests;
    }

    public NetworkNamespace Router { get; }

    public LabNode Node { get; }

    public BirdDaemon RouterBird { get; private set; } = null!;

    public BirdDaemon NodeBird { get; private set; } = null!;

    public string Manifests { get; }

    public IReadOnlyList<ServiceProcess> Services { get; private set; } = [];

    public static async Task<PeersLab> StartAsync(string nodeManifests)
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
            result = new PeersLab(lab, router, node, manifests);
            result.RouterBird = result.Own(await BirdDaemon.StartAsync(router, _ => RouterConfig(node)));
            result.NodeBird = result.Own(await BirdDaemon.StartAsync(node.Host, d => NodeConfig(node, d.IncludePath), include: "# empty until the Announcer writes it\n"));
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

    /// <summary>The node's own BIRD: device scanning and the Announcer's include file, no BGP protocol of its own.</summary>
    public static string NodeConfig(LabNode node, string includePath) => string.Create(CultureInfo.InvariantCulture, $$"""
        router id {{node.Ipv4}};
        protocol device { scan time 1; }
        include "{{includePath}}";

        """);

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
            var include = File.Exists(NodeBird.IncludePath) ? await File.ReadAllTextAsync(NodeBird.IncludePath) : "(none)";
            throw new TimeoutException($"{e.Message}\n--- node include ---\n{include}\n{string.Join('\n', Services.Select(s => s.Transcript))}", e);
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
            "--source", "standalone", "--manifests-directory", Manifests, "--state-file", Path.Combine(NodeBird.Directory, "allocator-state.json"),
            "--rescan-interval", "1s", "--nats-url", url, "--http-address", "127.0.0.1", "--http-port", "9470", "--log-format", "text",
        ], networkNamespace: ns);
        var agent = ServiceProcess.Start("NodeAgent",
        [
            "--node-name", Node.Name, "--interface", "eth0", "--nats-url", url,
            "--http-address", "127.0.0.1", "--http-port", "9471", "--log-format", "text",
        ], networkNamespace: ns);
        var announcer = ServiceProcess.Start("Announcer",
        [
            "--mode", "bird", "--node-name", Node.Name, "--nats-url", url, "--node-labels", "zone=a",
            "--bird-include-path", NodeBird.IncludePath, "--bird-control-socket", NodeBird.SocketPath,
            "--bgp-password-directory", Path.Combine(NodeBird.Directory, "secrets"),
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
    }
}
