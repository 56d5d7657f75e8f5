using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Beacon.Lab;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;
using NATS.Client.Core;

namespace Beacon.Lab.Tests.Cluster;

/// <summary>
/// Beacon's real processes on a clustered NATS: three nats-servers (JetStream, each in its own namespace) on a LAN
/// bridge, a control namespace with the standalone Allocator (streams at 3 replicas) and beaconctl, and three node
/// namespaces on the same LAN, each running the real NodeAgent. Every client lists all three servers. Everything
/// lives in the test's own namespaces (198.18.250.0/24 and 203.0.113.0/24 inside them), nothing touches the host.
/// </summary>
public sealed partial class ClusterLab : IAsyncLifetime
{
    public static readonly string[] NodeNames = ["node1", "node2", "node3"];

    /// <summary>Node-local pool: the elected owner puts the address on its eth0.</summary>
    public const string LanPrefix = "198.18.250.";

    private const string Groups = """
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata: { name: lan, namespace: beacon-system }
        spec:
          local:
            v4pool: { subnet: 198.18.250.0/24, pool: 198.18.250.200-198.18.250.219, aggregation: default }
        ---
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata: { name: remote, namespace: beacon-system }
        spec:
          local:
            v4pool: { subnet: 203.0.113.0/24, pool: 203.0.113.10-203.0.113.49, aggregation: /32 }
        ---
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata: { name: churn-lan, namespace: beacon-system }
        spec:
          local:
            v4pool: { subnet: 198.18.250.0/24, pool: 198.18.250.220-198.18.250.249, aggregation: default }
        ---
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata: { name: churn-remote, namespace: beacon-system }
        spec:
          local:
            v4pool: { subnet: 203.0.113.0/24, pool: 203.0.113.100-203.0.113.149, aggregation: /32 }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("beacon-clusterlab-").FullName;
    private readonly Dictionary<string, ServiceProcess> _agents = new(StringComparer.Ordinal);
    private NetLab? _lab;

    public NatsCluster Nats { get; private set; } = null!;

    public NetworkNamespace Control { get; private set; } = null!;

    public Dictionary<string, NetworkNamespace> Nodes { get; } = new(StringComparer.Ordinal);

    public ServiceProcess Allocator { get; private set; } = null!;

    public string ManifestsDirectory => Path.Combine(_directory, "manifests");

    public string StateFile => Path.Combine(_directory, "state.json");

    /// <summary>Services that exist from the start and are never touched: none of their addresses may ever be withdrawn.</summary>
    public static IReadOnlyList<(string Name, string Group)> StableServices { get; } =
        [("stable-l2-1", "lan"), ("stable-l2-2", "lan"), ("stable-l2-3", "lan"), ("stable-l2-4", "lan"), ("stable-remote-1", "remote"), ("stable-remote-2", "remote")];

    public static string NodeAddress(int i) => string.Create(CultureInfo.InvariantCulture, $"{LanPrefix}{100 + i}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ManifestsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ManifestsDirectory, "00-groups.yaml"), Groups);
        await File.WriteAllTextAsync(Path.Combine(ManifestsDirectory, "05-nodes.yaml"), NodesManifest());
        foreach (var (name, group) in StableServices)
        {
            await WriteServiceAsync(name, group);
        }

        _lab = await NetLab.CreateAsync();
        Nats = await NatsCluster.StartAsync(lab: _lab);
        Control = await _lab.AddHostAsync("ctl");
        await Nats.Lan.AttachAsync(Control, "eth0", NodeAddress(0) + "/24");
        for (var i = 1; i <= NodeNames.Length; i++)
        {
            var node = await _lab.AddHostAsync(NodeNames[i - 1]);
            await Nats.Lan.AttachAsync(node, "eth0", NodeAddress(i) + "/24");
            Nodes[NodeNames[i - 1]] = node;
        }

        await StartAllocatorAsync();
        foreach (var name in NodeNames)
        {
            _agents[name] = ServiceProcess.Start("NodeAgent",
                ["--node-name", name, "--interface", "eth0", "--nats-url", Nats.NamespaceClientUrls, "--http-address", "127.0.0.1", "--http-port", "9471"],
                networkNamespace: Nodes[name].Name);
        }

        await Task.WhenAll(NodeNames.Select(WaitAgentReadyAsync));
        await WaitConvergedAsync(TimeSpan.FromSeconds(60), "the stable services plumbed at start");
    }

    public async Task DisposeAsync()
    {
        if (Allocator is not null)
        {
            await Allocator.DisposeAsync();
        }

        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }

        if (Nats is not null)
        {
            await Nats.DisposeAsync();
        }

        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    public ServiceProcess Agent(string node) => _agents[node];

    /// <summary>Starts the standalone Allocator in the control namespace and waits until it leads (its term started).</summary>
    public async Task StartAllocatorAsync()
    {
        Allocator = ServiceProcess.Start("Allocator",
        [
            "--source", "standalone", "--manifests-directory", ManifestsDirectory, "--state-file", StateFile, "--rescan-interval", "1s",
            "--nats-url", Nats.NamespaceClientUrls, "--nats-stream-replicas", "3",
            "--http-address", "127.0.0.1", "--http-port", "9470",
        ], networkNamespace: Control.Name);
        await Allocator.WaitForLineAsync(LeadingLine(), TimeSpan.FromSeconds(60));
    }

    /// <summary>Writes (or replaces, atomically) the manifest of Service demo/<paramref name="name"/> in <paramref name="group"/>.</summary>
    public async Task WriteServiceAsync(string name, string group)
    {
        var staging = Path.Combine(_directory, name + ".staging");
        await File.WriteAllTextAsync(staging, $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {{name}}
              namespace: demo
              annotations: { purelb.io/service-group: {{group}} }
            spec:
              type: LoadBalancer
              ports: [ { name: http, port: 80, protocol: TCP } ]
            """);
        File.Move(staging, ServiceFile(name), overwrite: true);
    }

    public void DeleteService(string name) => File.Delete(ServiceFile(name));

    /// <summary>The Services that exist now (their manifests), as namespace/name.</summary>
    public IReadOnlySet<string> ExistingServices() =>
        Directory.GetFiles(ManifestsDirectory, "svc-*.yaml").Select(f => "demo/" + Path.GetFileNameWithoutExtension(f)["svc-".Length..]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Addresses the Allocator assigned to each existing Service (from its state file).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Assigned()
    {
        var existing = ExistingServices();
        return AssignedAddresses.Read(StateFile).Where(a => existing.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
    }

    /// <summary>Every Beacon address plumbed on every node: "address" → ["node device", ...].</summary>
    public async Task<SortedDictionary<string, SortedSet<string>>> PlumbedAsync()
    {
        var plumbed = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        for (var i = 1; i <= NodeNames.Length; i++)
        {
            var node = NodeNames[i - 1];
            var shown = await Nodes[node].ExecAsync("ip", "-o", "-4", "addr", "show");
            foreach (var line in shown.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var at = Array.IndexOf(words, "inet");
                if (at < 0 || at + 1 >= words.Length || words[1] is not ("eth0" or "kube-lb0"))
                {
                    continue;
                }

                var address = words[at + 1].Split('/')[0];
                if (address == NodeAddress(i))
                {
                    continue;
                }

                if (!plumbed.TryGetValue(address, out var holders))
                {
                    plumbed[address] = holders = new SortedSet<string>(StringComparer.Ordinal);
                }

                holders.Add($"{node} {words[1]}");
            }
        }

        return plumbed;
    }

    /// <summary>
    /// What is wrong with the nodes' addresses against the Allocator's assignments, or empty when converged: a node-local
    /// address on exactly one node's eth0, a remote one on every node's kube-lb0, nothing else anywhere.
    /// </summary>
    public async Task<IReadOnlyList<string>> DivergenceAsync()
    {
        var assigned = Assigned();
        var plumbed = await PlumbedAsync();
        var problems = new List<string>();
        var expectedAddresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (service, addresses) in assigned)
        {
            if (addresses.Count == 0)
            {
                problems.Add($"{service}: no address assigned yet");
            }

            foreach (var address in addresses)
            {
                expectedAddresses.Add(address);
                var holders = plumbed.GetValueOrDefault(address) ?? [];
                if (address.StartsWith(LanPrefix, StringComparison.Ordinal))
                {
                    if (holders.Count != 1 || !holders.Single().EndsWith(" eth0", StringComparison.Ordinal))
                    {
                        problems.Add($"{service} {address}: held by [{string.Join(", ", holders)}], expected exactly one node's eth0");
                    }
                }
                else if (!holders.SetEquals(NodeNames.Select(n => n + " kube-lb0")))
                {
                    problems.Add($"{service} {address}: held by [{string.Join(", ", holders)}], expected every node's kube-lb0");
                }
            }
        }

        foreach (var (address, holders) in plumbed.Where(p => !expectedAddresses.Contains(p.Key)))
        {
            problems.Add($"{address}: held by [{string.Join(", ", holders)}] but assigned to no existing Service");
        }

        return problems;
    }

    /// <summary>Waits until <see cref="DivergenceAsync"/> is empty and every existing Service has its addresses; returns how long it took.</summary>
    public async Task<TimeSpan> WaitConvergedAsync(TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<string> problems = [];
        while (clock.Elapsed < timeout)
        {
            var existing = ExistingServices();
            problems = await DivergenceAsync();
            if (problems.Count == 0 && Assigned().Count == existing.Count)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not within {timeout}: {what}\n{string.Join("\n", problems)}\nassigned: {Assigned().Count} of {ExistingServices().Count}\n{Transcripts()}");
    }

    /// <summary>Client connection names on each running server (monitoring /connz).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ConnectionsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var member in Nats.Members.Where(m => m.IsRunning))
        {
            var json = JsonNode.Parse(await http.GetStringAsync(new Uri(member.MonitorUrl, "connz?limit=1000")));
            result[member.Name] = (json?["connections"]?.AsArray() ?? []).Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
        }

        return result;
    }

    /// <summary>
    /// Makes the server that most of Beacon's clients are connected to the leader of <paramref name="stream"/> (asking
    /// the current leader to step down until it is), so that killing the leader also cuts those clients off and they
    /// must fail over. Returns the leader and the clients connected to it.
    /// </summary>
    public async Task<(string Leader, IReadOnlyList<string> Clients)> LeadFromBusiestServerAsync(string stream)
    {
        var connections = await ConnectionsAsync();
        var busiest = connections.OrderByDescending(c => c.Value.Count(IsBeaconClient)).First();
        await using var admin = new NatsConnection(new NatsOpts { Url = Nats.ClientUrls, RequestTimeout = TimeSpan.FromSeconds(5) });
        var leader = await Nats.WaitForStreamLeaderAsync(stream);
        for (var attempt = 0; leader != busiest.Key && attempt < 10; attempt++)
        {
            await admin.RequestAsync<byte[], byte[]>($"$JS.API.STREAM.LEADER.STEPDOWN.{stream}", []);
            leader = await Nats.WaitForStreamLeaderAsync(stream, not: leader);
        }

        return (leader, (await ConnectionsAsync()).GetValueOrDefault(leader, []).Where(IsBeaconClient).ToList());
    }

    private static bool IsBeaconClient(string name) => name.StartsWith("nodeagent-", StringComparison.Ordinal) || name.StartsWith("beacon-allocator-", StringComparison.Ordinal);

    /// <summary>Runs the real beaconctl binary in the control namespace against every server.</summary>
    public Task<CommandResult> BeaconctlAsync(params string[] arguments) =>
        Control.ExecAsync([ExternalPrograms.Resolve("dotnet"), ServiceBinaries.ToolPathOf("Beaconctl", "beaconctl"), "--nats-url", Nats.NamespaceClientUrls, .. arguments]);

    public string Transcripts() =>
        string.Join("\n", new[] { Allocator }.Concat(_agents.Values).Where(p => p is not null).Select(p => string.Join("\n", p.Transcript.Split('\n').TakeLast(30))));

    private string ServiceFile(string name) => Path.Combine(ManifestsDirectory, $"svc-{name}.yaml");

    private async Task WaitAgentReadyAsync(string node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var probe = await Nodes[node].ExecAsync("curl", "-sf", "--max-time", "1", "http://127.0.0.1:9471/readyz");
            if (probe.Succeeded)
            {
                return;
            }

            if (_agents[node].HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{node}'s agent not ready ({probe.StandardOutput.Trim()}).\n{_agents[node].Transcript}");
            }

            await Task.Delay(200);
        }
    }

    private static string NodesManifest() => string.Join("---\n", NodeNames.Select((name, i) => $$"""
        apiVersion: v1
        kind: Node
        metadata: { name: {{name}}, labels: { kubernetes.io/hostname: {{name}} } }
        status:
          addresses: [ { type: InternalIP, address: {{NodeAddress(i + 1)}} }, { type: Hostname, address: {{name}} } ]
          conditions: [ { type: Ready, status: "True" } ]

        """));

    [GeneratedRegex("Leading: ")]
    private static partial Regex LeadingLine();
}
