using System.Diagnostics;
using System.Globalization;
using System.Text;
using Beacon.Lab;
using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// The quick part of <see cref="FootprintBenchmarks"/> for the idle NodeAgent alone (issue #15 item 1, ≤ 1 % of a core):
/// the lab (3 nodes, 6 Services; NativeAOT NodeAgent, the rest on the JIT) at steady state, each NodeAgent's CPU and, by thread name, where it goes and
/// how often its threads wake. A few minutes instead of the full suite's JIT lab, restarts and 1,000 Services.
/// </summary>
internal sealed class FootprintIdleBenchmarks : IBenchmarkSuite
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public string Name => "footprint-idle";

    /// <summary>
    /// Set to a baseline NodeAgent executable (e.g. published from main into a directory outside the tree) to compare it
    /// with this tree's in the same run: the lab runs alternately with each (baseline, ours, baseline, ours), since CPU
    /// figures from different moments on a shared machine are not comparable.
    /// </summary>
    private const string BaselineVariable = "BEACON_BENCH_BASELINE_NODEAGENT";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var root = LabPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        var native = await NativePublish.EnsureAsync(root, "NodeAgent"); // the Announcers stay on the JIT here: only the agent is measured
        var started = DateTime.UtcNow;
        if (Environment.GetEnvironmentVariable(BaselineVariable) is not { Length: > 0 } baseline)
        {
            var (windows, server, load) = await MeasureAsync(root, native["NodeAgent"], cancellationToken);
            return Render(started, windows, server, load, $"`./build.sh --target=Bench --bench=footprint-idle`");
        }

        if (!File.Exists(baseline))
        {
            throw new InvalidOperationException($"{BaselineVariable}={baseline}: no such executable; publish the baseline NodeAgent there first");
        }

        var md = new StringBuilder();
        var command = $"`{BaselineVariable}={baseline} ./build.sh --target=Bench --bench=footprint-idle`";
        var means = new List<(string Build, double Cpu, double Wakeups)>();
        foreach (var (build, executable) in new[] { ("baseline", baseline), ("this tree", native["NodeAgent"]), ("baseline", baseline), ("this tree", native["NodeAgent"]) })
        {
            var at = DateTime.UtcNow;
            var (windows, server, load) = await MeasureAsync(root, executable, cancellationToken);
            md.AppendLine(CultureInfo.InvariantCulture, $"**Round {means.Count + 1}: {build}** (`{executable}`)");
            md.AppendLine();
            md.Append(Render(at, windows, server, load, command));
            md.AppendLine();
            means.Add((build, windows.Average(w => w.CpuPercent), windows.Average(w => w.Wakeups.Sum(t => t.PerSecond))));
        }

        md.AppendLine("| Build | Mean NodeAgent CPU % per round | Wake-ups/s per round |");
        md.AppendLine("|---|---|---|");
        foreach (var group in means.GroupBy(m => m.Build))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {string.Join(", ", group.Select(m => m.Cpu.ToString("F2", CultureInfo.InvariantCulture)))} | {string.Join(", ", group.Select(m => m.Wakeups.ToString("F0", CultureInfo.InvariantCulture)))} |");
        }

        return md.ToString();
    }

    /// <summary>One lab with <paramref name="nodeAgent"/> as every node's agent: each agent's and the server's usage over the window.</summary>
    private static async Task<(List<UsageWindow> Agents, UsageWindow? Server, string Load)> MeasureAsync(string root, string nodeAgent, CancellationToken cancellationToken)
    {
        var topology = new LabTopology(string.Create(CultureInfo.InvariantCulture, $"bcn{Environment.ProcessId}"));
        var paths = new LabPaths(root, topology);
        var up = new LabUp(topology, paths, "Release", Console.Out) { NativeServices = new Dictionary<string, string> { ["NodeAgent"] = nodeAgent } };
        try
        {
            var observations = await up.RunAsync(cancellationToken);
            if (observations.Count == 0 || observations.Any(o => !o.Converged))
            {
                throw new InvalidOperationException($"the NativeAOT lab did not converge; logs in {paths.Logs}");
            }

            await Task.Delay(Settle, cancellationToken);
            var agents = topology.Nodes.Select(n => (Node: n, Pid: DetachedProcess.AlivePid(paths.PidFile($"{n}-nodeagent")))).ToList();
            foreach (var (node, pid) in agents)
            {
                Console.WriteLine($"{node}-nodeagent pid {pid}");
            }

            var nats = DetachedProcess.AlivePid(paths.PidFile("nats-server"));
            var loadBefore = Load();
            var before = agents.Select(a => a.Pid is { } pid ? ProcessUsage.Read(pid) : null).ToList();
            var natsBefore = nats is { } n0 ? ProcessUsage.Read(n0) : null;
            var clock = Stopwatch.StartNew();
            await Task.Delay(Window, cancellationToken);
            var after = agents.Select(a => a.Pid is { } pid ? ProcessUsage.Read(pid) : null).ToList();
            var natsAfter = nats is { } n1 ? ProcessUsage.Read(n1) : null;
            var elapsed = clock.Elapsed;
            var windows = agents.Select((a, i) => UsageWindow.Between(a.Node, before[i], after[i], elapsed)).Where(w => w is not null).Select(w => w!).ToList();
            var server = UsageWindow.Between("nats-server", natsBefore, natsAfter, elapsed);
            return (windows, server, $"{loadBefore} → {Load()}");
        }
        finally
        {
            await LabTeardown.RunAsync(topology, paths);
        }
    }

    private static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Render(DateTime started, IReadOnlyList<UsageWindow> agents, UsageWindow? server, string load, string command)
    {
        if (agents.Count == 0)
        {
            throw new InvalidOperationException("no NodeAgent lived through the window");
        }

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd HH:mm} UTC with {command} ({Environment.ProcessorCount} cores, shared; load average 1/5/15 min {load}).");
        md.AppendLine(CultureInfo.InvariantCulture, $"The lab of `footprint` (3 dual-stack nodes, 6 Services) with the NativeAOT NodeAgent (everything else on the JIT) at steady state: CPU (user + system from /proc, % of one core) over {Window.TotalSeconds:F0} s after {Settle.TotalSeconds:F0} s of settling. Target (issue #15): ≤ 1 % per NodeAgent.");
        md.AppendLine();
        md.AppendLine("| Process | CPU % | RSS MiB | Wake-ups/s |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var w in agents)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| NodeAgent {w.Process} | {w.CpuPercent:F2} | {w.RssMib:F1} | {w.Wakeups.Sum(t => t.PerSecond):F0} |");
        }

        if (server is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| nats-server | {server.CpuPercent:F2} | {server.RssMib:F1} | {server.Wakeups.Sum(t => t.PerSecond):F0} |");
        }

        md.AppendLine();
        var threads = agents.SelectMany(w => w.Threads)
            .GroupBy(t => t.Thread).Select(g => (Thread: g.Key, Cpu: g.Sum(t => t.CpuPercent) / agents.Count))
            .OrderByDescending(t => t.Cpu).Take(6);
        var wakeups = agents.SelectMany(w => w.Wakeups)
            .GroupBy(t => t.Thread).Select(g => (Thread: g.Key, PerSecond: g.Sum(t => t.PerSecond) / agents.Count))
            .OrderByDescending(t => t.PerSecond).ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"Mean NodeAgent: CPU {agents.Average(w => w.CpuPercent):F2} % — by thread {string.Join(", ", threads.Select(t => $"{t.Thread} {t.Cpu:F2}"))}; wake-ups/s {wakeups.Sum(t => t.PerSecond):F0} — {string.Join(", ", wakeups.Take(6).Select(t => $"{t.Thread} {t.PerSecond:F0}"))}.");
        return md.ToString();
    }
}
