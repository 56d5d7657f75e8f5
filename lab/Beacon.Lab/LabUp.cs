using System.Globalization;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;

namespace Beacon.Lab;

/// <summary>
/// Brings the lab up: namespaces and LAN, BIRD on the router and on every node, nats-server and the standalone
/// Allocator in the control namespace, and per node the NodeAgent, the Announcer (bird mode) and a backend.
/// Then waits until every sample service answers the client and the kernel shows its final state (one layer-2 owner,
/// every expected ECMP next hop on the router), so the table it prints is the truth. Idempotent: a lab that is fully running is only checked.
/// </summary>
public sealed class LabUp(LabTopology topology, LabPaths paths, string configuration, TextWriter log)
{
    // The .NET host that runs this code, for the services (dotnet <dll>): under `dotnet run` (the benchmarks) the process
    // is the program's own apphost, which is no host for other assemblies.
    private static readonly string Dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    public static TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Services to run from a native executable instead of <c>dotnet Beacon.X.dll</c>, by folder name ("NodeAgent" →
    /// artifacts/publish/nodeagent/Beacon.NodeAgent): the footprint benchmark runs the lab once with each.
    /// </summary>
    public IReadOnlyDictionary<string, string> NativeServices { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The manifests the lab starts from, relative to the repository: <c>lab/manifests</c> by default, a seed's setup
    /// (<c>lab/seeds/NAME</c>) in the seed tests.
    /// </summary>
    public string ManifestSource { get; init; } = Path.Combine("lab", "manifests");

    /// <summary>
    /// False for the allocator-only deployment: no NodeAgent or Announcer on the nodes (the node BIRD advertises what
    /// <see cref="NodeBirdExtra"/> gives it, as Calico's would), and <see cref="RunAsync"/> returns once everything runs.
    /// </summary>
    public bool NodeComponents { get; init; } = true;

    /// <summary>BIRD configuration appended to a node's bird.conf: the node's own protocols and routes, unrelated to Beacon.</summary>
    public Func<string, string>? NodeBirdExtra { get; init; }

    /// <summary>The node BIRD exports the static protocols PREFIX4/PREFIX6 to the router: "beacon" is what the bird mode writes.</summary>
    public string NodeBirdExport { get; init; } = "beacon";

    /// <summary>Every process the lab runs, by pid-file name.</summary>
    public IEnumerable<string> ProcessNames =>
        new[] { "router-bird", "nats-server", "allocator" }.Concat(topology.Nodes.SelectMany(n => NodeComponents
            ? new[] { $"{n}-bird", $"{n}-nodeagent", $"{n}-announcer", $"{n}-backend" }
            : new[] { $"{n}-bird", $"{n}-backend" }));

    public bool IsRunning() =>
        Directory.Exists(paths.Pids) && ProcessNames.All(name => DetachedProcess.AlivePid(paths.PidFile(name)) is not null);

    public async Task<IReadOnlyList<LabObservation>> RunAsync(CancellationToken cancellationToken)
    {
        if (IsRunning())
        {
            log.WriteLine($"The lab '{topology.Prefix}' is already running; checking it.");
        }
        else
        {
            await LabTeardown.RunAsync(topology, paths);
            try
            {
                await CreateAsync();
            }
            catch
            {
                await TailLogsAsync();
                await LabTeardown.RunAsync(topology, paths);
                throw;
            }
        }

        if (!NodeComponents)
        {
            return [];
        }

        var observations = await WaitUntilReachableAsync(cancellationToken);
        if (observations.Any(o => !o.Converged))
        {
            await TailLogsAsync();
        }

        return observations;
    }

    private async Task CreateAsync()
    {
        foreach (var dll in RequiredDlls())
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build first (./build.sh --target=Build --configuration={configuration})");
            }
        }

        Directory.CreateDirectory(paths.Root);
        CopyManifests();
        log.WriteLine("Creating namespaces and the LAN…");
        await new LabWiring(topology).CreateAsync();

        log.WriteLine("Starting BIRD on the router and the nodes…");
        var nodePeers = topology.Nodes.SelectMany(n => new[]
        {
            new BgpPeer(n + "_v4", LabTopology.NodeV4(n), LabTopology.NodeAsn),
            new BgpPeer(n + "_v6", LabTopology.NodeV6(n), LabTopology.NodeAsn),
        });
        await StartBirdAsync(topology.Router, "router-bird", BirdConfigs.Router(LabTopology.RouterV4, LabTopology.RouterAsn, nodePeers, bfd: true));
        IReadOnlyList<BgpPeer> upstream =
        [
            new BgpPeer("up4", LabTopology.RouterV4, LabTopology.RouterAsn),
            new BgpPeer("up6", LabTopology.RouterV6, LabTopology.RouterAsn),
        ];
        foreach (var node in topology.Nodes)
        {
            var include = Path.Combine(paths.Daemon($"{node}-bird"), "beacon.conf");
            Directory.CreateDirectory(Path.GetDirectoryName(include)!);
            await File.WriteAllTextAsync(include, "protocol static beacon4 { ipv4 { import all; export none; }; }\nprotocol static beacon6 { ipv6 { import all; export none; }; }\n");
            await StartBirdAsync(topology.NodeNamespace(node), $"{node}-bird",
                BirdConfigs.Node(LabTopology.NodeV4(node), LabTopology.NodeAsn, upstream, include, bfd: true, NodeBirdExport) + NodeBirdExtra?.Invoke(node));
        }

        log.WriteLine("Starting nats-server and the Allocator (standalone)…");
        await StartAsync(topology.Control, "nats-server", "nats-server", "-a", "0.0.0.0", "-p", LabTopology.NatsPort.ToString(CultureInfo.InvariantCulture),
            "-js", "-sd", Path.Combine(paths.Root, "jetstream"));
        await StartServiceAsync(topology.Control, "allocator", "Allocator", AllocatorArguments());

        foreach (var node in topology.Nodes)
        {
            var ns = topology.NodeNamespace(node);
            if (NodeComponents)
            {
                log.WriteLine($"Starting {node}: NodeAgent, Announcer (bird), backend…");
                await StartServiceAsync(ns, $"{node}-nodeagent", "NodeAgent", NodeAgentArguments(node));
                await StartServiceAsync(ns, $"{node}-announcer", "Announcer", AnnouncerArguments(node));
            }
            else
            {
                log.WriteLine($"Starting {node}: backend only (allocator-only deployment)…");
            }

            await StartAsync(ns, $"{node}-backend", Dotnet, typeof(LabUp).Assembly.Location, "backend", "--name", node, "--ports", "80,8080");
        }

        await File.WriteAllTextAsync(Path.Combine(paths.Root, "configuration"), configuration);
    }

    private async Task<IReadOnlyList<LabObservation>> WaitUntilReachableAsync(CancellationToken cancellationToken)
    {
        log.WriteLine("Waiting until every service answers the client and the router holds every expected next hop…");
        var probe = new LabProbe(topology);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        IReadOnlyList<LabObservation> observations = [];
        var reported = "";
        while (true)
        {
            observations = await ObserveAllAsync(probe);
            // Say what is still missing once everything answers: that gap is what "up" waits for beyond reachability.
            var unsettled = string.Join("; ", observations.Where(o => o.Reachable && !o.Converged).Select(o =>
                $"{o.Service} {o.Address} announced by {(o.AnnouncingNodes.Count == 0 ? "no node" : string.Join(", ", o.AnnouncingNodes))}" +
                (o.ExpectedNextHops is { } expected ? $" (expected {string.Join(", ", expected)})" : " (expected exactly one)")));
            if (unsettled.Length > 0 && unsettled != reported && observations.All(o => o.Reachable))
            {
                log.WriteLine($"Every service answers; waiting for the kernel: {unsettled}");
                reported = unsettled;
            }

            var expected = LabServiceManifest.ReadAll(paths.Manifests);
            var complete = observations.Count > 0 &&
                expected.All(s => observations.Any(o => o.Service == s.Key)) &&
                observations.All(o => o.Converged);
            if (complete || DateTime.UtcNow > deadline)
            {
                return observations;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>One observation per service address and TCP port, for the services in the manifest directory.</summary>
    public async Task<IReadOnlyList<LabObservation>> ObserveAllAsync(LabProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var assigned = AssignedAddresses.Read(paths.AllocatorState);
        var result = new List<LabObservation>();
        foreach (var service in LabServiceManifest.ReadAll(paths.Manifests))
        {
            if (!assigned.TryGetValue(service.Key, out var addresses) || addresses.Count == 0)
            {
                result.Add(new LabObservation(service.Key, "(pending)", 0, "-", [], null));
                continue;
            }

            foreach (var address in addresses)
            {
                foreach (var port in service.TcpPorts)
                {
                    result.Add(await probe.ObserveAsync(service, address, port));
                }
            }
        }

        return result;
    }

    private void CopyManifests()
    {
        Directory.CreateDirectory(paths.Manifests);
        foreach (var file in Directory.GetFiles(Path.Combine(paths.RepositoryRoot, ManifestSource), "*.yaml"))
        {
            File.Copy(file, Path.Combine(paths.Manifests, Path.GetFileName(file)), overwrite: true);
        }
    }

    private IEnumerable<string> RequiredDlls() =>
        new[] { "Allocator", "NodeAgent", "Announcer" }.Select(Service);

    private string Service(string name) => paths.ServiceDll(name, "Beacon." + name, configuration);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private async Task StartBirdAsync(string ns, string name, string config)
    {
        var dir = paths.Daemon(name);
        Directory.CreateDirectory(dir);
        var confPath = Path.Combine(dir, "bird.conf");
        await File.WriteAllTextAsync(confPath, $"log \"{paths.Log(name)}\" {{ info, remote, warning, error, auth, fatal, bug }};\n" + config);
        Directory.CreateDirectory(paths.Logs);
        var check = await HostCommand.RunAsync("bird", "-p", "-c", confPath);
        check.EnsureSuccess();
        await StartAsync(ns, name, "bird", "-f", "-c", confPath, "-s", Path.Combine(dir, "bird.ctl"), "-P", Path.Combine(dir, "bird.pid"));
    }

    public string[] AllocatorArguments() =>
    [
        "--source", "standalone", "--manifests-directory", paths.Manifests, "--state-file", paths.AllocatorState,
        "--rescan-interval", "2s", "--nats-url", LabTopology.NatsUrl,
        "--http-address", "0.0.0.0", "--http-port", Port(LabTopology.AllocatorHttpPort), "--log-format", "text",
    ];

    public string[] NodeAgentArguments(string node) =>
    [
        // No --interface: the LBNodeAgent in the manifest directory (01-lbnodeagent.yaml) names it, through the Allocator,
        // as a PureLB user's would; an option would win over it. Without one (the seeds) "default" is eth0 here too.
        "--node-name", node, "--nats-url", LabTopology.NatsUrl, "--lab-commands", "true",
        // The label Kubernetes gives every node: L2Advertisement nodeSelectors (seed 002) select by it.
        "--node-labels", "kubernetes.io/hostname=" + node,
        "--http-address", "0.0.0.0", "--http-port", Port(LabTopology.NodeAgentHttpPort), "--log-format", "text",
    ];

    public string[] AnnouncerArguments(string node) =>
    [
        "--mode", "bird", "--node-name", node, "--nats-url", LabTopology.NatsUrl,
        "--bird-include-path", Path.Combine(paths.Daemon($"{node}-bird"), "beacon.conf"),
        "--bird-control-socket", Path.Combine(paths.Daemon($"{node}-bird"), "bird.ctl"),
        "--http-address", "0.0.0.0", "--http-port", Port(LabTopology.AnnouncerHttpPort), "--log-format", "text",
    ];

    /// <summary>Starts one service detached (pid file and log under the lab's state), natively when <see cref="NativeServices"/> says so.</summary>
    public Task StartServiceAsync(string ns, string name, string service, params string[] arguments) =>
        NativeServices.TryGetValue(service, out var native)
            ? StartAsync(ns, name, native, arguments)
            : StartAsync(ns, name, Dotnet, [Service(service), .. arguments]);

    private Task StartAsync(string ns, string name, string program, params string[] arguments) =>
        DetachedProcess.StartAsync(ns, paths.PidFile(name), paths.Log(name), program, arguments);

    private async Task TailLogsAsync()
    {
        if (!Directory.Exists(paths.Logs))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(paths.Logs, "*.log").Order(StringComparer.Ordinal))
        {
            var lines = await File.ReadAllLinesAsync(file);
            log.WriteLine($"--- {Path.GetFileName(file)} (last lines)");
            foreach (var line in lines.TakeLast(8))
            {
                log.WriteLine("  " + line);
            }
        }
    }
}
