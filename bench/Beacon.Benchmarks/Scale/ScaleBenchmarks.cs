using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Beacon.Benchmarks.Footprint;
using Beacon.Lab;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Networking;
using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.Scale;

/// <summary>
/// 1,000 Services end to end in the namespace lab (3 nodes, BIRD router with ECMP, standalone Allocator): one manifest
/// file adding 1,000 BGP Services, then its removal, then 1,000 layer-2 Services in a LAN pool. For each change, when
/// every Service had reached each stage, from the manifest write: allocated (the Allocator's state file), on the bus
/// (a desired-state replica here), plumbed on every node, in every node's BIRD, in the router's kernel with every
/// node as an ECMP next hop (or withdrawn), and for layer 2 answered over ARP by the owner's MAC.
/// </summary>
internal sealed class ScaleBenchmarks : IBenchmarkSuite
{
    private const int Services = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public const string Allocated = "allocated (Allocator state file)";
    public const string OnBus = "published on the bus";
    public const string Plumbed = "plumbed on every node";
    public const string InDaemon = "in every node's BIRD";
    public const string InRouter = "router kernel: every route, every next hop";
    public const string Answered = "ARP answered by the owner";

    public string Name => "scale";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var root = LabPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        // NativeAOT node components are what ships on nodes (and a JIT process spends much of a burst compiling);
        // BEACON_SCALE_BUILD=jit runs `dotnet Beacon.X.dll` instead, to compare.
        var jit = string.Equals(Environment.GetEnvironmentVariable("BEACON_SCALE_BUILD"), "jit", StringComparison.OrdinalIgnoreCase);
        var native = jit ? new Dictionary<string, string>() : await NativePublish.EnsureAsync(root);
        if (!jit)
        {
            native["Allocator"] = await ReadyToRunAllocator.EnsureAsync(root);
        }

        var build = jit
            ? "every component on the JIT (`dotnet Beacon.X.dll`, `BEACON_SCALE_BUILD=jit`)"
            : "node components (NodeAgent, Announcer) NativeAOT (`./build.sh --target=Publish`), the Allocator ReadyToRun as its image ships it";
        var topology = new LabTopology(string.Create(CultureInfo.InvariantCulture, $"bcn{Environment.ProcessId}"));
        var paths = new LabPaths(root, topology);
        var up = new LabUp(topology, paths, "Release", Console.Out) { NativeServices = native };
        var started = DateTime.UtcNow;
        var loadBefore = await LoadAsync();
        try
        {
            var observations = await up.RunAsync(cancellationToken);
            if (observations.Count == 0 || observations.Any(o => !o.Converged))
            {
                throw new InvalidOperationException($"the lab did not converge; logs in {paths.Logs}");
            }

            var view = new LabKernelView(topology, paths);
            await using var forwarder = new NamespaceTcpForwarder(topology.Control, new IPEndPoint(IPAddress.Parse(LabTopology.ControlV4), LabTopology.NatsPort));
            var options = new NatsOptions { Name = "scale-bench" };
            options.Urls.Add(string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{forwarder.Port}"));
            await using var bus = new NatsEventBus(options);
            using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await bus.ConnectAsync(connect.Token);
            }

            await using var replica = new DesiredStateReplica(bus);
            await replica.StartAsync(cancellationToken);
            await replica.WaitUntilSynchronizedAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

            var bgpFile = Path.Combine(paths.Manifests, ScaleManifest.FileName);
            Console.WriteLine($"Adding {Services} BGP Services…");
            var reconfiguresBefore = Reconfigures(paths);
            var added = await MeasureBgpAsync(paths, view, replica, topology, () => File.WriteAllText(bgpFile, ScaleManifest.Render(Services)), present: true, cancellationToken);
            var addReconfigures = Reconfigures(paths) - reconfiguresBefore;
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            Console.WriteLine($"Removing the {Services} BGP Services…");
            reconfiguresBefore = Reconfigures(paths);
            var removed = await MeasureBgpAsync(paths, view, replica, topology, () => File.Delete(bgpFile), present: false, cancellationToken);
            var removeReconfigures = Reconfigures(paths) - reconfiguresBefore;

            Console.WriteLine($"Adding {Services} layer-2 Services…");
            var (l2, l2Problems) = await MeasureLayer2Async(paths, view, replica, topology, cancellationToken);
            var loadAfter = await LoadAsync();
            return Render(started, build, loadBefore, loadAfter, added, removed, l2, addReconfigures, removeReconfigures, l2Problems);
        }
        finally
        {
            await LabTeardown.RunAsync(topology, paths);
        }
    }

    private static bool InBgpPool(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b.Length == 4 && b[0] == 198 && b[1] == 18 && b[2] is >= 112 and <= 127;
    }

    private static async Task<StageTimes> MeasureBgpAsync(LabPaths paths, LabKernelView view, DesiredStateReplica replica, LabTopology topology, Action change,
        bool present, CancellationToken cancellationToken)
    {
        var want = present ? Services : 0;
        var times = new StageTimes();
        var cpuBefore = CpuTicks(paths, topology);
        var clock = Stopwatch.StartNew();
        change();
        var onBus = BusStageAsync(replica, "footprint", want, clock, times, cancellationToken);
        var nodes = topology.Nodes;
        while (clock.Elapsed < Timeout)
        {
            if (times.Get(Allocated) is null && AllocatedCount(paths, "footprint/") == want)
            {
                times.Set(Allocated, clock.Elapsed);
            }

            if (times.Get(Plumbed) is null)
            {
                var counts = await Task.WhenAll(nodes.Select(n => view.AddressesAsync(n, "kube-lb0", InBgpPool)));
                if (counts.All(c => c.Count == want))
                {
                    times.Set(Plumbed, clock.Elapsed);
                }
            }

            // Each stage follows the one before it (BIRD gets a route once its node plumbed the address, the router once
            // BIRD has it), so it is polled only from then on, in the same round: no resolution lost, and the benchmark's
            // own execs (ip, birdc: 7 every 50 ms) no longer compete with the lab for the 2 cores while nodes plumb.
            if (times.Get(InDaemon) is null && times.Get(Plumbed) is not null)
            {
                var counts = await Task.WhenAll(nodes.Select(n => view.BirdRoutesAsync(n, InBgpPool)));
                if (counts.All(c => c == want))
                {
                    times.Set(InDaemon, clock.Elapsed);
                }
            }

            if (times.Get(InRouter) is null && times.Get(InDaemon) is not null)
            {
                var routes = await view.RouterRoutesAsync(InBgpPool);
                if (routes.Count == want && routes.Values.All(hops => hops == nodes.Count))
                {
                    times.Set(InRouter, clock.Elapsed);
                }
            }

            if (new[] { Allocated, Plumbed, InDaemon, InRouter }.All(s => times.Get(s) is not null) && onBus.IsCompleted)
            {
                break;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        await Task.WhenAny(onBus, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
        RecordCpu(times, cpuBefore, CpuTicks(paths, topology));
        Console.WriteLine(string.Join(", ", times.Stages.Select(s => $"{s.Key} {LabKernelView.Format(s.Value)} s")));
        return times;
    }

    /// <summary>
    /// Layer 2: the benchmark's /22 goes onto every node's eth0 first (the agents pick the new subnet up from netlink),
    /// then the manifest; the client asks ARP for every address until the owner's MAC answered each.
    /// </summary>
    private static async Task<(StageTimes Times, IReadOnlyList<string> Problems)> MeasureLayer2Async(LabPaths paths, LabKernelView view,
        DesiredStateReplica replica, LabTopology topology, CancellationToken cancellationToken)
    {
        var nodes = topology.Nodes;
        var macs = new Dictionary<MacAddress, string>();
        foreach (var node in nodes)
        {
            await HostCommand.RunCheckedAsync("ip", "-n", topology.NodeNamespace(node), "addr", "add", LanScaleManifest.NodeAddress(node) + "/22", "dev", "eth0");
            macs[MacAddress.Parse(await view.MacAsync(node))] = node;
        }

        // The Allocator tells a LAN pool from a remote one by the nodes' InternalIPs: give each node one in the /22.
        var nodesFile = Path.Combine(paths.Manifests, "05-nodes.yaml");
        var nodesYaml = await File.ReadAllTextAsync(nodesFile, cancellationToken);
        foreach (var node in nodes)
        {
            var own = $"- {{ type: InternalIP, address: {LabTopology.NodeV4(node)} }}";
            nodesYaml = nodesYaml.Replace(own, $"{own}\n    - {{ type: InternalIP, address: {LanScaleManifest.NodeAddress(node)} }}", StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(nodesFile, nodesYaml, cancellationToken);

        // Give the agents a moment to have heard each other in the new subnet, as they would have in a real cluster.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var targets = Enumerable.Range(0, 1024).Select(i => new IPAddress(new byte[] { 198, 18, (byte)(32 + (i / 256)), (byte)(i % 256) }))
            .Where(LanScaleManifest.InPool).Take(Services).ToList();
        using var probe = new ArpOwnerProbe(topology.Client, IPAddress.Parse(LabTopology.ClientV4));
        var times = new StageTimes();
        var cpuBefore = CpuTicks(paths, topology);
        var clock = Stopwatch.StartNew();
        await File.WriteAllTextAsync(Path.Combine(paths.Manifests, LanScaleManifest.FileName), LanScaleManifest.Render(Services), cancellationToken);
        var onBus = BusStageAsync(replica, LanScaleManifest.Namespace, Services, clock, times, cancellationToken);
        IReadOnlyDictionary<IPAddress, string>? owners = null;
        bool Accepted(IPAddress target, MacAddress mac) =>
            macs.TryGetValue(mac, out var node) && (Volatile.Read(ref owners) is not { } known || (known.TryGetValue(target, out var owner) && owner == node));
        var probing = Task.Factory.StartNew(() => probe.Run(targets, Accepted, clock, () => Volatile.Read(ref owners) is not null, Timeout),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (clock.Elapsed < Timeout)
        {
            if (times.Get(Allocated) is null && AllocatedCount(paths, LanScaleManifest.Namespace + "/") == Services)
            {
                times.Set(Allocated, clock.Elapsed);
            }

            if (times.Get(Plumbed) is null)
            {
                var held = await Task.WhenAll(nodes.Select(async n => (Node: n, Addresses: await view.AddressesAsync(n, "eth0", LanScaleManifest.InPool))));
                var all = held.SelectMany(h => h.Addresses.Select(a => (h.Node, Address: a))).ToList();
                if (all.Count == Services && all.Select(a => a.Address).Distinct().Count() == Services)
                {
                    times.Set(Plumbed, clock.Elapsed);
                    Volatile.Write(ref owners, all.ToDictionary(a => a.Address, a => a.Node));
                }
            }

            if (times.Get(Allocated) is not null && times.Get(Plumbed) is not null && onBus.IsCompleted)
            {
                break;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        await probing;
        await Task.WhenAny(onBus, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
        RecordCpu(times, cpuBefore, CpuTicks(paths, topology));
        owners ??= new Dictionary<IPAddress, string>();
        var problems = new List<string>();
        var answers = probe.Answers;
        TimeSpan? last = TimeSpan.Zero;
        foreach (var target in targets)
        {
            var ownerMac = macs.FirstOrDefault(m => owners.TryGetValue(target, out var owner) && m.Value == owner).Key;
            // Answers are recorded once per MAC: another node's reply means it held the address too for a while.
            if (!owners.ContainsKey(target))
            {
                problems.Add($"{target}: on no node's eth0");
                last = null;
            }
            else if (!answers.TryGetValue(target, out var byMac) || !byMac.TryGetValue(ownerMac, out var at))
            {
                problems.Add($"{target}: never answered by its owner {owners[target]}");
                last = null;
            }
            else
            {
                if (byMac.Keys.Any(m => m != ownerMac))
                {
                    problems.Add($"{target}: also answered by {string.Join(", ", byMac.Where(m => m.Key != ownerMac).Select(m => $"{macs.GetValueOrDefault(m.Key, m.Key.ToString())} (first at {m.Value.TotalSeconds:F2} s; the owner {owners[target]} at {at.TotalSeconds:F2} s)"))}");
                }

                last = last is { } l && at > l ? at : last;
            }
        }

        times.Set(Answered, last);
        Console.WriteLine(string.Join(", ", times.Stages.Select(s => $"{s.Key} {LabKernelView.Format(s.Value)} s")));
        foreach (var problem in problems.Take(10))
        {
            Console.WriteLine(problem);
        }

        return (times, problems);
    }

    /// <summary>Rows of the CPU breakdown: the lab's processes by pid-file name.</summary>
    private static List<(string Row, string[] PidNames)> CpuRows(LabTopology topology) =>
    [
        ("Allocator", ["allocator"]),
        ("nats-server", ["nats-server"]),
        ("NodeAgents (3 nodes)", [.. topology.Nodes.Select(n => $"{n}-nodeagent")]),
        ("Announcers (3 nodes)", [.. topology.Nodes.Select(n => $"{n}-announcer")]),
        ("node BIRDs (3 nodes)", [.. topology.Nodes.Select(n => $"{n}-bird")]),
        ("router BIRD", ["router-bird"]),
    ];

    private static Dictionary<string, long> CpuTicks(LabPaths paths, LabTopology topology) =>
        CpuRows(topology).ToDictionary(r => r.Row, r => r.PidNames.Sum(name =>
            DetachedProcess.AlivePid(paths.PidFile(name)) is { } pid && ProcessUsage.Read(pid) is { } usage ? usage.CpuTicks : 0));

    private static void RecordCpu(StageTimes times, Dictionary<string, long> before, Dictionary<string, long> after)
    {
        foreach (var (row, ticks) in after)
        {
            times.CpuSeconds[row] = (ticks - before.GetValueOrDefault(row)) / ProcessUsage.TicksPerSecond;
        }
    }

    private static async Task BusStageAsync(DesiredStateReplica replica, string ns, int want, Stopwatch clock, StageTimes times, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await replica.WaitForAsync(v => v.Services.Count(s => s.Key.Namespace == ns && s.Value.Addresses.Count > 0) == want, deadline.Token);
            times.Set(OnBus, clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            times.Set(OnBus, null);
        }
    }

    private static int AllocatedCount(LabPaths paths, string keyPrefix) =>
        AssignedAddresses.Read(paths.AllocatorState).Count(s => s.Key.StartsWith(keyPrefix, StringComparison.Ordinal) && s.Value.Count > 0);

    /// <summary>BIRD reconfigurations the lab's Announcers logged so far ("BIRD reconfigured with N routes"), all nodes.</summary>
    private static int Reconfigures(LabPaths paths) =>
        Directory.GetFiles(paths.Logs, "node*-announcer.log").Sum(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var count = 0;
            while (reader.ReadLine() is { } line)
            {
                count += line.Contains("BIRD reconfigured", StringComparison.Ordinal) ? 1 : 0;
            }

            return count;
        });

    private static async Task<string> LoadAsync() =>
        string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3));

    private static string Render(DateTime started, string build, string loadBefore, string loadAfter, StageTimes added, StageTimes removed, StageTimes l2,
        int addReconfigures, int removeReconfigures, IReadOnlyList<string> l2Problems)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd HH:mm} UTC with `./build.sh --target=Bench --bench=scale` on this machine ({Environment.ProcessorCount} cores, shared; load average {loadBefore} before, {loadAfter} after).");
        md.AppendLine(CultureInfo.InvariantCulture, $"Builds: {build}.");
        md.AppendLine("The namespace lab (3 nodes, each with NodeAgent, Announcer in bird mode and BIRD; a BIRD router with BFD and ECMP; nats-server and the");
        md.AppendLine(CultureInfo.InvariantCulture, $"standalone Allocator) with its 6 sample Services; then one manifest file adding {Services:N0} BGP Services (a /20 pool outside the node subnets), the");
        md.AppendLine(CultureInfo.InvariantCulture, $"same file deleted, then one file adding {Services:N0} layer-2 Services (a /22 LAN pool on every node's eth0). Each cell: seconds from the manifest");
        md.AppendLine("write until every Service had reached that stage (polled every 50 ms, BIRD and the router once the stage before was complete: the state file, `ip addr`, `birdc show route`, `ip route` in the router,");
        md.AppendLine("a desired-state replica on the bus), and in brackets the increase over the stage before, so the slow stage stands out; CPU seconds are what");
        md.AppendLine("each group of processes used (user + system, /proc) from the write until the last stage was seen, which a loaded machine distorts less than wall time. Layer 2: the client");
        md.AppendLine("asks ARP for every address in rounds (one libpcap handle, 20 ms apart) until the MAC of the node holding the address on eth0 answered.");
        md.AppendLine("Targets (issue #15): BGP add and removal < 3 s to the router's kernel; layer 2 < 3 s to the owner's answer.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| Stage | {Services:N0} BGP Services added | {Services:N0} BGP Services removed | {Services:N0} layer-2 Services added |");
        md.AppendLine("|---|---|---|---|");
        string[] bgp = [Allocated, OnBus, Plumbed, InDaemon, InRouter];
        string[] lan = [Allocated, OnBus, Plumbed, Answered];
        foreach (var stage in new[] { Allocated, OnBus, Plumbed, InDaemon, InRouter, Answered })
        {
            var label = stage == InRouter ? "router kernel: every route with every next hop (added) / withdrawn (removed)" : stage;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell(added, bgp, stage)} | {Cell(removed, bgp, stage)} | {Cell(l2, lan, stage)} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| BIRD reconfigurations (3 nodes together) | {addReconfigures} | {removeReconfigures} | – |");
        foreach (var row in added.CpuSeconds.Keys)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| CPU seconds: {row} | {Seconds(added, row)} | {Seconds(removed, row)} | {Seconds(l2, row)} |");
        }

        // Per Service and per process: the figure that bounds a burst on a small machine (3 nodes share 2 cores here).
        foreach (var (row, processes) in CpuPerProcess)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| CPU ms per Service, each {processes.Item1} | {PerService(added, row, processes.Item2)} | {PerService(removed, row, processes.Item2)} | {PerService(l2, row, processes.Item2)} |");
        }
        md.AppendLine();
        md.AppendLine(l2Problems.Count == 0
            ? "Every layer-2 address was answered by its owner's MAC only."
            : $"Layer-2 problems ({l2Problems.Count}): {string.Join("; ", l2Problems.Take(5))}{(l2Problems.Count > 5 ? "; …" : "")}");
        return md.ToString();
    }

    /// <summary>CPU rows divided per process: row → (process name, how many of them the row sums).</summary>
    private static readonly (string Row, (string, int) Process)[] CpuPerProcess =
    [
        ("Allocator", ("Allocator", 1)),
        ("NodeAgents (3 nodes)", ("NodeAgent", 3)),
        ("Announcers (3 nodes)", ("Announcer", 3)),
    ];

    private static string PerService(StageTimes times, string row, int processes) =>
        times.CpuSeconds.TryGetValue(row, out var seconds) ? (seconds * 1000 / processes / Services).ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string Seconds(StageTimes times, string row) =>
        times.CpuSeconds.TryGetValue(row, out var seconds) ? seconds.ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string Cell(StageTimes times, string[] order, string stage)
    {
        var index = Array.IndexOf(order, stage);
        if (index < 0)
        {
            return "–";
        }

        if (times.Get(stage) is not { } at)
        {
            return "not reached";
        }

        // The increase over the latest earlier stage (the bus can finish after the state file or before it).
        var before = order.Take(index).Select(times.Get).Where(t => t is not null && t <= at).Select(t => t!.Value).DefaultIfEmpty(TimeSpan.Zero).Max();
        return string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds:F2} (+{(at - before).TotalSeconds:F2})");
    }
}
