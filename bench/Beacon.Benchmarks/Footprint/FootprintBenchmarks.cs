using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Beacon.Lab;
using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// What each Beacon process costs on a node: the namespace lab (3 nodes, BIRD router, 6 sample Services) brought up
/// once with the JIT builds and once with the NativeAOT node components, measured at steady state and again after
/// 1,000 more BGP Services: CPU (% of one core) and RSS per process over a window, the busiest threads of the
/// NodeAgent, and process start to /readyz 200 for each service.
/// </summary>
internal sealed class FootprintBenchmarks : IBenchmarkSuite
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private const int ScaleServices = 1000;
    private const int ReadySamples = 3;
    private const int L2HttpPort = 9473;

    public string Name => "footprint";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var root = LabPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        var native = await NativePublish.EnsureAsync(root);
        var started = DateTime.UtcNow;
        var jit = await MeasureAsync(root, "JIT", new Dictionary<string, string>(), cancellationToken);
        var aot = await MeasureAsync(root, "NativeAOT", native, cancellationToken);
        return Render(started, [jit, aot]);
    }

    private static async Task<FlavourResult> MeasureAsync(string root, string flavour, IReadOnlyDictionary<string, string> native, CancellationToken cancellationToken)
    {
        var topology = new LabTopology(string.Create(CultureInfo.InvariantCulture, $"bcn{Environment.ProcessId}"));
        var paths = new LabPaths(root, topology);
        var up = new LabUp(topology, paths, "Release", Console.Out) { NativeServices = native };
        Console.WriteLine($"== {flavour}: lab {topology.Prefix}");
        try
        {
            var observations = await up.RunAsync(cancellationToken);
            if (observations.Count == 0 || observations.Any(o => !o.Converged))
            {
                throw new InvalidOperationException($"the {flavour} lab did not converge; logs in {paths.Logs}");
            }

            // The lab runs the Announcer in bird mode; one l2 Announcer on node1 as well, to measure that mode.
            var node1 = topology.NodeNamespace("node1");
            await up.StartServiceAsync(node1, "node1-announcer-l2", "Announcer", L2AnnouncerArguments());
            var processes = ProcessNames(topology);
            await WaitReadyAsync(node1, LabTopology.NodeV4("node1"), L2HttpPort, TimeSpan.FromSeconds(60), cancellationToken);

            await Task.Delay(Settle, cancellationToken);
            var steady = await MeasureWindowAsync(paths, processes, cancellationToken);

            var ready = new Dictionary<string, StartResult>
            {
                ["NodeAgent"] = await StartToReadyAsync(up, paths, node1, "node1-nodeagent", "NodeAgent", LabTopology.NodeV4("node1"), LabTopology.NodeAgentHttpPort, up.NodeAgentArguments("node1"), cancellationToken),
                ["Announcer (bird)"] = await StartToReadyAsync(up, paths, node1, "node1-announcer", "Announcer", LabTopology.NodeV4("node1"), LabTopology.AnnouncerHttpPort, up.AnnouncerArguments("node1"), cancellationToken),
                ["Announcer (l2)"] = await StartToReadyAsync(up, paths, node1, "node1-announcer-l2", "Announcer", LabTopology.NodeV4("node1"), L2HttpPort, L2AnnouncerArguments(), cancellationToken),
                ["Allocator"] = await StartToReadyAsync(up, paths, topology.Control, "allocator", "Allocator", LabTopology.ControlV4, LabTopology.AllocatorHttpPort, up.AllocatorArguments(), cancellationToken),
            };
            var beaconctl = await BeaconctlAsync(root, topology);

            Console.WriteLine($"Adding {ScaleServices} BGP Services…");
            var added = Stopwatch.StartNew();
            await File.WriteAllTextAsync(Path.Combine(paths.Manifests, ScaleManifest.FileName), ScaleManifest.Render(ScaleServices), cancellationToken);
            await WaitForAddressesAsync(topology, ScaleServices, TimeSpan.FromMinutes(5), cancellationToken);
            Console.WriteLine($"Every node holds {ScaleServices} more addresses after {added.Elapsed.TotalSeconds:F1} s");
            await Task.Delay(Settle, cancellationToken);
            var scaled = await MeasureWindowAsync(paths, processes, cancellationToken);
            return new FlavourResult(flavour, steady, scaled, ready, beaconctl);
        }
        finally
        {
            await LabTeardown.RunAsync(topology, paths);
        }
    }

    private static string[] L2AnnouncerArguments() =>
    [
        "--mode", "l2", "--node-name", "node1", "--interfaces", "eth0", "--nats-url", LabTopology.NatsUrl,
        "--http-address", "0.0.0.0", "--http-port", L2HttpPort.ToString(CultureInfo.InvariantCulture), "--log-format", "text",
    ];

    /// <summary>Pid-file name → the row it is reported under.</summary>
    private static List<(string PidName, string Process)> ProcessNames(LabTopology topology) =>
    [
        .. topology.Nodes.Select(n => ($"{n}-nodeagent", "NodeAgent")),
        .. topology.Nodes.Select(n => ($"{n}-announcer", "Announcer (bird)")),
        ("node1-announcer-l2", "Announcer (l2)"),
        ("allocator", "Allocator"),
        ("nats-server", "nats-server"),
    ];

    private static async Task<WindowResult> MeasureWindowAsync(LabPaths paths, List<(string PidName, string Process)> processes, CancellationToken cancellationToken)
    {
        var loadBefore = await File.ReadAllTextAsync("/proc/loadavg", cancellationToken);
        var before = processes.Select(p => Usage(paths, p.PidName)).ToList();
        var clock = Stopwatch.StartNew();
        // RSS is sampled every second: a heap that grows and is trimmed again within the window counts at its highest.
        var peaks = new long[processes.Count];
        while (clock.Elapsed < Window)
        {
            for (var i = 0; i < processes.Count; i++)
            {
                peaks[i] = before[i] is { } usage ? Math.Max(peaks[i], ProcessUsage.ResidentKib(usage.Pid)) : 0;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var after = processes.Select(p => Usage(paths, p.PidName)).ToList();
        var elapsed = clock.Elapsed;
        var loadAfter = await File.ReadAllTextAsync("/proc/loadavg", cancellationToken);
        var windows = processes.Select((p, i) => UsageWindow.Between(p.Process, before[i], after[i], elapsed) is { } w
                ? w with { RssPeakMib = Math.Max(peaks[i], after[i]!.RssKib) / 1024.0 }
                : null)
            .Where(w => w is not null).Select(w => w!).ToList();
        var memory = processes.Select((p, i) => (p.Process, Memory: after[i] is { } usage ? ResidentMemory.Read(usage.Pid) : null))
            .Where(m => m.Memory is not null).Select(m => (m.Process, m.Memory!)).ToList();
        return new WindowResult(windows, $"{string.Join(' ', loadBefore.Split(' ').Take(3))} → {string.Join(' ', loadAfter.Split(' ').Take(3))}")
        {
            Memory = memory,
        };
    }

    private static ProcessUsage? Usage(LabPaths paths, string pidName) =>
        DetachedProcess.AlivePid(paths.PidFile(pidName)) is { } pid ? ProcessUsage.Read(pid) : null;

    /// <summary>
    /// SIGTERM the lab's process, wait until it is gone, then start it again the way the lab does and time from its exec
    /// (the pid file is written by the launcher's shell just before it execs the service) to the first /readyz 200,
    /// polled every 2 ms through a forwarder into the namespace that exists before the start; the stages come from the
    /// process's own log. The median of a few starts.
    /// </summary>
    private static async Task<StartResult> StartToReadyAsync(LabUp up, LabPaths paths, string ns, string pidName, string service,
        string address, int port, string[] arguments, CancellationToken cancellationToken)
    {
        var samples = new List<(TimeSpan Ready, Dictionary<string, TimeSpan> Stages)>();
        await using var forwarder = new NamespaceTcpForwarder(ns, new IPEndPoint(IPAddress.Parse(address), port));
        for (var i = 0; i < ReadySamples; i++)
        {
            if (DetachedProcess.AlivePid(paths.PidFile(pidName)) is { } pid)
            {
                _ = NativeSignals.Kill(pid, NativeSignals.SigTerm);
                if ((await ProcessLiveness.WaitForExitAsync([pid], TimeSpan.FromSeconds(10))).Count > 0)
                {
                    throw new InvalidOperationException($"{pidName} did not stop within 10 s of SIGTERM");
                }
            }

            var log = paths.Log(pidName);
            var logFrom = File.Exists(log) ? new FileInfo(log).Length : 0;
            var starting = Task.Run(() => up.StartServiceAsync(ns, pidName, service, arguments), cancellationToken);
            await PollReadyAsync(forwarder.Port, () => starting.IsFaulted, TimeSpan.FromSeconds(60), cancellationToken);
            var readyAt = DateTime.UtcNow;
            await starting;
            var exec = File.GetLastWriteTimeUtc(paths.PidFile(pidName));
            var stages = StartupStages.Read(log, logFrom, exec);
            samples.Add((readyAt - exec, stages));
            Console.WriteLine($"{pidName}: ready {(readyAt - exec).TotalMilliseconds:F0} ms after exec; {string.Join(", ", stages.Select(s => $"{s.Key} {s.Value.TotalMilliseconds:F0} ms"))}");
        }

        var median = samples.OrderBy(s => s.Ready).ElementAt(samples.Count / 2);
        return new StartResult(median.Ready, median.Stages);
    }

    private static async Task WaitReadyAsync(string ns, string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var forwarder = new NamespaceTcpForwarder(ns, new IPEndPoint(IPAddress.Parse(address), port));
        await PollReadyAsync(forwarder.Port, () => false, timeout, cancellationToken);
    }

    private static async Task PollReadyAsync(int forwarderPort, Func<bool> failed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{forwarderPort}/readyz"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !failed())
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(2, cancellationToken);
        }

        throw new TimeoutException($"/readyz did not answer 200 within {timeout} (or the start failed)");
    }

    /// <summary>beaconctl status in the control namespace (JIT): wall time from exec to exit, the median of a few.</summary>
    private static async Task<TimeSpan> BeaconctlAsync(string root, LabTopology topology)
    {
        var dll = Path.Combine(root, "tools", "Beaconctl", "bin", "Release", "net10.0", "beaconctl.dll");
        var samples = new List<TimeSpan>();
        for (var i = 0; i < ReadySamples; i++)
        {
            var clock = Stopwatch.StartNew();
            (await HostCommand.RunAsync("ip", "netns", "exec", topology.Control, "dotnet", dll, "status", "--nats-url", LabTopology.NatsUrl)).EnsureSuccess();
            samples.Add(clock.Elapsed);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }

    private static async Task WaitForAddressesAsync(LabTopology topology, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var node in topology.Nodes)
        {
            while (true)
            {
                var listed = await HostCommand.RunAsync("ip", "-n", topology.NodeNamespace(node), "-o", "-4", "addr", "show", "dev", "kube-lb0");
                var held = listed.StandardOutput.Split('\n').Count(l => l.Contains(" 198.18.11", StringComparison.Ordinal) || l.Contains(" 198.18.12", StringComparison.Ordinal));
                if (held >= count)
                {
                    break;
                }

                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"{node} holds {held} of {count} scale addresses after {timeout}");
                }

                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private static string Render(DateTime started, IReadOnlyList<FlavourResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd HH:mm} UTC with `./build.sh --target=Bench --bench=footprint` on this machine ({Environment.ProcessorCount} cores, shared: see the load averages).");
        md.AppendLine("The namespace lab (3 nodes, BIRD router with BFD, nats-server, standalone Allocator; Announcers in bird mode plus one");
        md.AppendLine("l2 Announcer on node1) is brought up twice in the same run: the JIT builds (`dotnet Beacon.X.dll`), then NativeAOT");
        md.AppendLine("NodeAgent and Announcer (`./build.sh --target=Publish`); the Allocator runs on the JIT in both. CPU is user+system");
        md.AppendLine(CultureInfo.InvariantCulture, $"time from /proc over a {Window.TotalSeconds:F0} s window after {Settle.TotalSeconds:F0} s of settling, as % of one core (mean over the three nodes for node");
        md.AppendLine(CultureInfo.InvariantCulture, $"components, max in brackets); RSS is the highest VmRSS sampled every second over the window. \"1,000 Services\": {ScaleServices} more BGP Services (one manifest file,");
        md.AppendLine(CultureInfo.InvariantCulture, $"a /20 pool), measured once every node holds every address. Start → ready: exec to /readyz 200 (polled every 2 ms inside the");
        md.AppendLine(CultureInfo.InvariantCulture, $"node's namespace), median of {ReadySamples} restarts at steady state (6 Services).");
        md.AppendLine("Targets (issue #15): RSS ≤ 40 MiB per node component, idle CPU ≤ 1 % of a core per NodeAgent, start → ready < 200 ms.");
        md.AppendLine();
        md.AppendLine("| Process | Build | CPU % (6 Services) | RSS MiB (6 Services) | CPU % (1,000 Services) | RSS MiB (1,000 Services) | Start → ready |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var process in new[] { "NodeAgent", "Announcer (bird)", "Announcer (l2)", "Allocator", "nats-server" })
        {
            foreach (var r in results)
            {
                var build = process is "NodeAgent" or "Announcer (bird)" or "Announcer (l2)" ? r.Flavour : process == "Allocator" ? "JIT" : "Go";
                var ready = r.Ready.TryGetValue(process, out var t) ? $"{t.Ready.TotalMilliseconds:F0} ms" : "–";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {process} | {build} ({r.Flavour} lab) | {Cpu(r.Steady, process)} | {Rss(r.Steady, process)} | {Cpu(r.Scaled, process)} | {Rss(r.Scaled, process)} | {ready} |");
            }
        }

        foreach (var r in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| beaconctl status | JIT ({r.Flavour} lab) | – | – | – | – | {r.Beaconctl.TotalMilliseconds:F0} ms (exec to exit) |");
        }

        md.AppendLine();
        foreach (var r in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) over the {r.Flavour} windows: {r.Steady.Load} (6 Services), {r.Scaled.Load} (1,000 Services).");
        }

        md.AppendLine();
        md.AppendLine("Start → ready by stage (the median start above; ms after exec, from the process's own log lines, which have 1 ms resolution):");
        md.AppendLine();
        md.AppendLine($"| Process | Build | {string.Join(" | ", StartupStages.Markers.Select(m => m.Stage))} | /readyz 200 |");
        md.AppendLine($"|---|---|{string.Concat(StartupStages.Markers.Select(_ => "---|"))}---|");
        foreach (var r in results)
        {
            foreach (var (process, start) in r.Ready)
            {
                var build = process == "Allocator" ? "JIT" : r.Flavour;
                var stages = StartupStages.Markers.Select(m => start.Stages.TryGetValue(m.Stage, out var at) ? string.Create(CultureInfo.InvariantCulture, $"{at.TotalMilliseconds:F0}") : "–");
                md.AppendLine(CultureInfo.InvariantCulture, $"| {process} | {build} ({r.Flavour} lab) | {string.Join(" | ", stages)} | {start.Ready.TotalMilliseconds:F0} |");
            }
        }

        md.AppendLine();
        md.AppendLine("Where a NodeAgent's CPU goes at steady state (6 Services), by thread name: % of one core and wake-ups/s, mean over the three nodes:");
        md.AppendLine();
        foreach (var r in results)
        {
            var agents = r.Steady.Windows.Where(w => w.Process == "NodeAgent").ToList();
            var threads = agents.SelectMany(w => w.Threads)
                .GroupBy(t => t.Thread).Select(g => (Thread: g.Key, Cpu: g.Sum(t => t.CpuPercent) / agents.Count))
                .OrderByDescending(t => t.Cpu).Take(6);
            var wakeups = agents.SelectMany(w => w.Wakeups)
                .GroupBy(t => t.Thread).Select(g => (Thread: g.Key, PerSecond: g.Sum(t => t.PerSecond) / agents.Count))
                .OrderByDescending(t => t.PerSecond).ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"* {r.Flavour}: CPU {string.Join(", ", threads.Select(t => $"{t.Thread} {t.Cpu:F2}"))}; wake-ups/s {wakeups.Sum(t => t.PerSecond):F0} in all: {string.Join(", ", wakeups.Take(6).Select(t => $"{t.Thread} {t.PerSecond:F0}"))}");
        }

        md.AppendLine();
        md.AppendLine("Where the node components' RSS is (MiB, Rss of each mapping in /proc/PID/smaps at the end of the window, mean over the");
        md.AppendLine("nodes): the executable (code and read-only data; dotnet for the JIT), anonymous memory (GC heap, a NativeAOT executable's");
        md.AppendLine("rehydrated data, thread stacks, malloc), OpenSSL (libcrypto, libssl), other files (shared libraries; the JIT's assemblies):");
        md.AppendLine();
        md.AppendLine("| Process | Build | Services | Executable | Anonymous | OpenSSL | Other files |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            foreach (var (window, services) in new[] { (r.Steady, "6"), (r.Scaled, "1,000") })
            {
                foreach (var group in window.Memory.Where(m => m.Process is "NodeAgent" or "Announcer (bird)" or "Announcer (l2)").GroupBy(m => m.Process))
                {
                    var rows = group.Select(m => m.Memory).ToList();
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {group.Key} | {r.Flavour} ({r.Flavour} lab) | {services} | {rows.Average(m => m.ExecutableMib):F1} | {rows.Average(m => m.AnonymousMib):F1} | {rows.Average(m => m.OpenSslMib):F1} | {rows.Average(m => m.OtherFilesMib):F1} |");
                }
            }
        }

        return md.ToString();
    }

    private static string Cpu(WindowResult window, string process)
    {
        var rows = window.Windows.Where(w => w.Process == process).ToList();
        return rows.Count switch
        {
            0 => "–",
            1 => rows[0].CpuPercent.ToString("F2", CultureInfo.InvariantCulture),
            _ => string.Create(CultureInfo.InvariantCulture, $"{rows.Average(w => w.CpuPercent):F2} ({rows.Max(w => w.CpuPercent):F2})"),
        };
    }

    private static string Rss(WindowResult window, string process)
    {
        var rows = window.Windows.Where(w => w.Process == process).ToList();
        return rows.Count switch
        {
            0 => "–",
            1 => rows[0].RssPeakMib.ToString("F1", CultureInfo.InvariantCulture),
            _ => string.Create(CultureInfo.InvariantCulture, $"{rows.Average(w => w.RssPeakMib):F1} ({rows.Max(w => w.RssPeakMib):F1})"),
        };
    }

    private sealed record WindowResult(IReadOnlyList<UsageWindow> Windows, string Load)
    {
        public IReadOnlyList<(string Process, ResidentMemory Memory)> Memory { get; init; } = [];
    }

    private sealed record StartResult(TimeSpan Ready, IReadOnlyDictionary<string, TimeSpan> Stages);

    private sealed record FlavourResult(string Flavour, WindowResult Steady, WindowResult Scaled, IReadOnlyDictionary<string, StartResult> Ready, TimeSpan Beaconctl);
}
