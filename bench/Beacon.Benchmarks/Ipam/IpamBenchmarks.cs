using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Beacon.Ipam;

namespace Beacon.Benchmarks.Ipam;

/// <summary>
/// Allocates 100,000 Services across 10 ServiceGroups (one IPv4 /8, nine /16, each with an IPv6 /64), then releases
/// and reallocates a random 10 %, then restarts the engine from the resulting assignments. Reports wall and CPU time,
/// per-operation latency percentiles and memory.
/// </summary>
internal sealed class IpamBenchmarks : IBenchmarkSuite
{
    private const int Services = 100_000;
    private const int Groups = 10;
    private const int Seed = 20260101;

    public string Name => "ipam";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        // Warm the JIT on a smaller run so the measured run sees steady-state code.
        Measure(20_000, cancellationToken);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Task.FromResult(Measure(Services, cancellationToken).ToMarkdown());
    }

    private static Report Measure(int count, CancellationToken cancellationToken)
    {
        var groups = Enumerable.Range(0, Groups).Select(GroupSpec).ToList();
        var requests = Enumerable.Range(0, count).Select(Request).ToArray();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var engine = new AddressAllocator();
        var update = engine.SetGroups(groups);
        if (update.Errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", update.Errors));
        }

        var report = new Report(count);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var threadCpuBefore = ThreadCpuTime.Current();
        var wall = Stopwatch.StartNew();
        var allocate = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = engine.Allocate(requests[i]);
            allocate[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (outcome.Status != AllocationStatus.Allocated)
            {
                throw new InvalidOperationException($"benchmark setup is wrong: {outcome}");
            }
        }

        report.AllocateWall = wall.Elapsed;
        report.AllocateThreadCpu = ThreadCpuTime.Current() - threadCpuBefore;
        process.Refresh();
        report.AllocateCpu = process.TotalProcessorTime - cpuBefore;
        report.Allocate = allocate;
        report.ManagedAfterAllocate = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        cancellationToken.ThrowIfCancellationRequested();

        var random = new Random(Seed);
        var chosen = Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(count / 10).ToArray();
        var release = new double[chosen.Length];
        var reallocate = new double[chosen.Length];
        wall.Restart();
        for (var i = 0; i < chosen.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            engine.Release(requests[chosen[i]].Key);
            release[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        for (var i = 0; i < chosen.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            engine.Allocate(requests[chosen[i]]);
            reallocate[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        report.ChurnWall = wall.Elapsed;
        report.Release = release;
        report.Reallocate = reallocate;

        var assignments = engine.Assignments();
        var restarted = new AddressAllocator();
        restarted.SetGroups(groups);
        wall.Restart();
        for (var i = 0; i < assignments.Count; i++)
        {
            restarted.Restore(requests[IndexOf(assignments[i].Key)], assignments[i].Value);
        }

        report.RestoreWall = wall.Elapsed;
        report.RestoreIdentical = restarted.Assignments().Zip(assignments).All(p => p.First.Key == p.Second.Key && p.First.Value.SequenceEqual(p.Second.Value));
        process.Refresh();
        report.PeakWorkingSet = process.PeakWorkingSet64;
        GC.KeepAlive(engine);
        return report;
    }

    private static int IndexOf(ServiceKey key) => int.Parse(key.Name.AsSpan(4), CultureInfo.InvariantCulture);

    private static ServiceGroupSpec GroupSpec(int i) => new()
    {
        Name = $"group-{i}",
        V4Pool = i == 0 ? new PoolSpec("10.0.0.0/8", "10.0.0.0/8") : new PoolSpec($"172.{15 + i}.0.0/16", $"172.{15 + i}.0.0/16"),
        V6Pool = new PoolSpec($"fd00:0:0:{i}::/64", $"fd00:0:0:{i}::/64"),
        AvoidBuggyIPs = i % 2 == 1,
    };

    /// <summary>Every 5th Service is dual-stack; every 10th shares an address with the previous one (same key, other port).</summary>
    private static ServiceRequest Request(int i)
    {
        var annotations = new Dictionary<string, string> { [ServiceAnnotations.ServiceGroup] = $"group-{i % Groups}" };
        var shared = i % 10 == 9;
        if (shared || i % 10 == 8)
        {
            annotations[ServiceAnnotations.AllowSharedIp] = $"pair-{i / 10}";
        }

        return new ServiceRequest
        {
            Key = new ServiceKey($"ns-{i % 50}", $"svc-{i}"),
            Annotations = annotations,
            IpFamilyPolicy = i % 5 == 0 ? IpFamilyPolicy.RequireDualStack : IpFamilyPolicy.SingleStack,
            Ports = [new ServicePort(shared ? 443 : 80)],
            Selector = new Dictionary<string, string> { ["app"] = $"app-{i}" },
        };
    }

    private sealed class Report(int count)
    {
        public TimeSpan AllocateWall { get; set; }

        public TimeSpan AllocateCpu { get; set; }

        public TimeSpan AllocateThreadCpu { get; set; }

        public double[] Allocate { get; set; } = [];

        public long ManagedAfterAllocate { get; set; }

        public TimeSpan ChurnWall { get; set; }

        public double[] Release { get; set; } = [];

        public double[] Reallocate { get; set; } = [];

        public TimeSpan RestoreWall { get; set; }

        public bool RestoreIdentical { get; set; }

        public long PeakWorkingSet { get; set; }

        public string ToMarkdown()
        {
            var c = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.AppendLine("## IPAM engine (`shared/Ipam`)");
            text.AppendLine();
            text.AppendLine(c, $"Command: `./build.sh --target=Bench --bench=ipam` (or `dotnet run -c Release --project bench/Beacon.Benchmarks -- --docs docs/benchmarks.md ipam`).");
            text.AppendLine(c, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, shared with other builds while measuring, so wall times include waiting for a CPU; CPU time is the figure to compare.");
            text.AppendLine();
            text.AppendLine(c, $"Workload: {count:N0} Services across 10 ServiceGroups (one IPv4 /8 and nine /16 pools, each group also an IPv6 /64; avoidBuggyIPs on five), every 5th Service RequireDualStack, every 10th sharing an address with its neighbour. Then a random 10 % are released and reallocated, then a fresh engine is restored from the resulting assignments. Latencies are per call, measured with `Stopwatch` around each `Allocate`/`Release`/`Restore`.");
            text.AppendLine();
            text.AppendLine("| Measure | Result | Target |");
            text.AppendLine("| --- | --- | --- |");
            text.AppendLine(c, $"| Allocate {count:N0} Services, wall time | {AllocateWall.TotalMilliseconds:N0} ms | |");
            text.AppendLine(c, $"| Allocate {count:N0} Services, CPU time of the allocating thread | {AllocateThreadCpu.TotalMilliseconds:N0} ms | < 1,000 ms |");
            text.AppendLine(c, $"| Allocate {count:N0} Services, CPU time of the whole process (adds background GC and JIT threads) | {AllocateCpu.TotalMilliseconds:N0} ms | |");
            text.AppendLine(c, $"| Allocate {count:N0} Services, sum of per-call times | {Allocate.Sum() / 1000:N0} ms | |");
            text.AppendLine(c, $"| Allocate p50 / p99 / max | {Percentile(Allocate, 50):N1} / {Percentile(Allocate, 99):N1} / {Allocate.Max():N0} µs | p99 < 50 µs |");
            text.AppendLine(c, $"| Release 10 % p50 / p99 | {Percentile(Release, 50):N1} / {Percentile(Release, 99):N1} µs | |");
            text.AppendLine(c, $"| Reallocate 10 % p50 / p99 | {Percentile(Reallocate, 50):N1} / {Percentile(Reallocate, 99):N1} µs | |");
            text.AppendLine(c, $"| Release + reallocate 10 %, wall time | {ChurnWall.TotalMilliseconds:N0} ms | |");
            text.AppendLine(c, $"| Restore {count:N0} Services after restart, wall time | {RestoreWall.TotalMilliseconds:N0} ms (identical assignments: {(RestoreIdentical ? "yes" : "NO")}) | |");
            text.AppendLine(c, $"| Managed heap held by the engine after allocating | {ManagedAfterAllocate / 1024.0 / 1024.0:N1} MiB ({ManagedAfterAllocate / count:N0} bytes per Service) | proportional to allocations |");
            text.AppendLine(c, $"| Process peak working set | {PeakWorkingSet / 1024.0 / 1024.0:N0} MiB | |");
            return text.ToString();
        }

        private static double Percentile(double[] samples, double percentile)
        {
            var sorted = samples.Order().ToArray();
            var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
        }
    }
}
