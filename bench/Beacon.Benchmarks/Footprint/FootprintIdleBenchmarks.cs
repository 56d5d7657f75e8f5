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

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var root = LabPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        var native = await NativePublish.EnsureAsync(root, "NodeAgent"); // the Announcers stay on the JIT here: only the agent is measured
        var started = DateTime.UtcNow;
        var topology = new LabTopology(string.Create(CultureInfo.InvariantCulture, $"bcn{Environment.ProcessId}"));
        var paths = new LabPaths(root, topology);
        var up = new LabUp(topology, paths, "Release", Console.Out) { NativeServices = native };
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
            return Render(started, windows, server, $"{loadBefore} → {Load()}");
        }
        finally
        {
            await LabTeardown.RunAsync(topology, paths);
        }
    }

    private static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Render(DateTime started, IReadOnlyList<UsageWindow> agents, UsageWindow? server, string load)
    {
        if (agents.Count == 0)
        {
            throw new InvalidOperationException("no NodeAgent lived through the window");
        }

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd HH:mm} UTC with `./build.sh --target=Bench --bench=footprint-idle` ({Environment.ProcessorCount} cores, shared; load average 1/5/15 min {load}).");
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
