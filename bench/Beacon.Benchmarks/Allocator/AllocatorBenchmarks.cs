using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Beacon.KubeApiServer;
using Beacon.Benchmarks.NodeAgent;
using Beacon.TestSupport.Processes;

namespace Beacon.Benchmarks.Allocator;

/// <summary>
/// The real Allocator process against the test API server: 10,000 LoadBalancer Services created while it leads,
/// time from the last one created until every one shows an address, API requests per Service, and its memory;
/// then a restart with all 10,000 in place (restore, no address moves, how many writes that costs).
/// </summary>
internal sealed class AllocatorBenchmarks : IBenchmarkSuite
{
    /// <summary>10,000 (the target's definition); BEACON_BENCH_ALLOCATOR_SERVICES runs a smaller set, e.g. at a slow rate limit.</summary>
    private static readonly int Services = int.Parse(Environment.GetEnvironmentVariable("BEACON_BENCH_ALLOCATOR_SERVICES") ?? "10000",
        CultureInfo.InvariantCulture);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    /// <summary>Client rate limit given to the Allocator: 5,000 QPS by default so the Allocator is measured, not the limiter;
    /// BEACON_BENCH_KUBE_QPS / BEACON_BENCH_KUBE_BURST measure it at another setting (e.g. the shipped default).</summary>
    private static readonly string Qps = Environment.GetEnvironmentVariable("BEACON_BENCH_KUBE_QPS") ?? "5000";

    /// <summary>Services of the bulk import measured at the shipped default rate limit (BEACON_BENCH_ALLOCATOR_DEFAULT_LIMIT_SERVICES).</summary>
    private static readonly int DefaultLimitServices = int.Parse(Environment.GetEnvironmentVariable("BEACON_BENCH_ALLOCATOR_DEFAULT_LIMIT_SERVICES") ?? "2000",
        CultureInfo.InvariantCulture);

    /// <summary>AllocatorOptions' KubeQps/KubeBurst defaults, for the text (the Allocator is started without the options).</summary>
    private const string ShippedDefault = "200 QPS, burst 400";

    private static readonly string Burst = Environment.GetEnvironmentVariable("BEACON_BENCH_KUBE_BURST") ?? "5000";

    public string Name => "allocator";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { HistoryLimit = 200_000 }, cancellationToken);
        var directory = Directory.CreateTempSubdirectory("beacon-bench-allocator-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, server.CreateKubeconfig(), cancellationToken);
        server.Seed(KubeResources.ServiceGroups, new ServiceGroup
        {
            Metadata = new ObjectMeta { Name = "default", Namespace = "beacon-system" },
            Spec = new ServiceGroupSpec { Local = new ServiceGroupPools { V4Pool = new AddressPool { Subnet = "10.0.0.0/16", Pool = "10.0.0.1-10.0.255.254" } } },
        });
        var services = ApiResourceCatalog.ById("services");

        var allocator = StartAllocator(kubeconfig, "bench-1");
        await WaitAsync(() => server.Read(KubeResources.Leases, "beacon-system", "beacon-allocator")?.Spec?.HolderIdentity == "bench-1", "leadership");
        await WaitAsync(() => server.Read(KubeResources.ServiceGroups, "beacon-system", "default")?.Status?.Pools is { Count: > 0 }, "first reconcile");
        server.Requests.Reset();
        var allocatorCpu0 = ProcessCpuTime.Of(allocator.Pid);
        var benchCpu0 = Process.GetCurrentProcess().TotalProcessorTime;

        var created = Stopwatch.StartNew();
        for (var i = 0; i < Services; i++)
        {
            server.Seed(KubeResources.Services, new Service
            {
                Metadata = new ObjectMeta { Name = $"svc-{i:D5}", Namespace = $"ns-{i % 50:D2}" },
                Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
            });
        }

        var creating = created.Elapsed;
        var seedCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu0;
        var sinceLast = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        await WaitAsync(() =>
        {
            var addressed = server.Store.Count(services, IsAddressed);
            if (progress.Elapsed > TimeSpan.FromSeconds(10))
            {
                // Progress on stderr: a run that stalls shows where.
                Console.Error.WriteLine($"allocator: {addressed} of {Services} addressed after {created.Elapsed.TotalSeconds:F0} s");
                progress.Restart();
            }

            return addressed == Services;
        }, "all addressed");
        var toAll = sinceLast.Elapsed;
        var total = created.Elapsed;
        var allocatorCpu = ProcessCpuTime.Of(allocator.Pid) - allocatorCpu0;
        // The test server runs in this process: its CPU is this process's, less the seeding measured above (polling the
        // store every 250 ms is counted with the server).
        var serverCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu0 - seedCpu;
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // let Events and group status settle before counting
        var requests = server.Requests.Snapshot();
        var (rss, peak) = Memory(allocator.Pid);
        var assigned = AddressesByService(server.Store.All(services));
        var unique = assigned.Values.Distinct(StringComparer.Ordinal).Count();

        // Restart with everything in place, as a rolling update does it: SIGTERM (the leader releases its Lease), then
        // the next process; restore, then confirm nothing needs writing.
        allocator.Terminate();
        await allocator.WaitForExitAsync(Timeout);
        await allocator.DisposeAsync();
        server.Requests.Reset();
        var restartServerCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var restart = Stopwatch.StartNew();
        var second = StartAllocator(kubeconfig, "bench-2");
        var (synced, acquired, takeover) = await RestartStagesAsync(server, second, "bench-2", restart);
        var restartCpu = ProcessCpuTime.Of(second.Pid);
        var restartServerCpu = Process.GetCurrentProcess().TotalProcessorTime - restartServerCpu0;
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var restartWriteKinds = server.Requests.Snapshot().Where(kv => kv.Key.Verb is "create" or "update" or "patch" && kv.Key.Resource != "leases").ToList();
        var restartWrites = restartWriteKinds.Sum(kv => kv.Value);
        // Which writes, when there are any: the target is none, and the kind says where to look.
        var restartWritesBy = string.Join(", ", restartWriteKinds.Select(kv => $"{kv.Key.Verb} {kv.Key.Resource}: {kv.Value}"));
        var moved = AddressesByService(server.Store.All(services)).Count(kv => assigned[kv.Key] != kv.Value);
        var (rss2, peak2) = Memory(second.Pid);
        // Killed (kill -9) this time: no release, so the next one must wait for the Lease to expire (--lease-duration 3s).
        await second.DisposeAsync();

        // At the shipped default rate limit (no --kube-qps/--kube-burst): a bulk import of DefaultLimitServices more
        // on top of everything in place, first create → last address (the limiter sets the pace here).
        var killedRestart = Stopwatch.StartNew();
        var third = StartAllocator(kubeconfig, "bench-3", defaultLimit: true);
        var (killedSynced, killedAcquired, killedTakeover) = await RestartStagesAsync(server, third, "bench-3", killedRestart);
        server.Requests.Reset();
        var bulk = Stopwatch.StartNew();
        for (var i = 0; i < DefaultLimitServices; i++)
        {
            server.Seed(KubeResources.Services, new Service
            {
                Metadata = new ObjectMeta { Name = $"bulk-{i:D5}", Namespace = $"bulk-{i % 10:D2}" },
                Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
            });
        }

        await WaitAsync(() => server.Store.Count(services, IsAddressed) == Services + DefaultLimitServices, "bulk import at the default limit");
        var bulkTime = bulk.Elapsed;
        var bulkRequests = server.Requests.Snapshot().Where(kv => kv.Key.Resource != "leases").Sum(kv => kv.Value);
        await third.DisposeAsync();
        Directory.Delete(directory, recursive: true);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Allocator: {Services:N0} Services against the test API server\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Command: `./build.sh --target=Bench --bench={Name}` · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · load average {LoadAverage.OneMinute()} · ");
        text.Append(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version} ");
        text.Append("(shared machine: other work ran at the same time, so absolute numbers are noisy).\n\n");
        text.Append("The real Allocator process (Release build) leads via its Lease against the in-process test API server on 127.0.0.1; ");
        text.Append(CultureInfo.InvariantCulture, $"{Services:N0} Services in 50 namespaces are created directly in the server's store while it runs; one ServiceGroup with a /16 pool. ");
        text.Append(CultureInfo.InvariantCulture, $"The Allocator talks to the server through the official KubernetesClient. Client rate limit: {Qps} QPS, burst {Burst} ");
        text.Append("(5,000 unless BEACON_BENCH_KUBE_QPS/BURST say otherwise, so the Allocator, not the limiter, is measured).\n\n");
        text.Append("| Measurement | Value |\n|---|---|\n");
        text.Append(CultureInfo.InvariantCulture, $"| Creating {Services:N0} Services (test harness) | {creating.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Last Service created → every Service has an address | {toAll.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| First Service created → every Service has an address | {total.TotalSeconds:F1} s ({Services / total.TotalSeconds:F0} Services/s) |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Distinct addresses handed out | {unique:N0} of {assigned.Count:N0} Services |\n");
        text.Append(CultureInfo.InvariantCulture, $"| API requests per Service (all verbs) | {requests.Values.Sum() / (double)Services:F2} |\n");
        foreach (var ((verb, resource), count) in requests.Where(kv => kv.Value >= Services / 100).OrderByDescending(kv => kv.Value))
        {
            text.Append(CultureInfo.InvariantCulture, $"| … {verb} {resource} per Service | {count / (double)Services:F2} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| Allocator CPU, first create → all addressed (user+system) | {allocatorCpu.TotalSeconds:F1} s ({allocatorCpu.TotalMilliseconds / Services:F2} ms per Service) |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Test API server CPU in the same interval (benchmark process less seeding) | {serverCpu.TotalSeconds:F1} s ({serverCpu.TotalMilliseconds / Services:F2} ms per Service, {serverCpu.TotalMilliseconds / Math.Max(1, requests.Values.Sum()):F2} ms per request) |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Test harness CPU seeding {Services:N0} Services | {seedCpu.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Allocator memory after {Services:N0} (RSS / peak RSS) | {rss / 1024.0:F0} MiB / {peak / 1024.0:F0} MiB |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Restart with {Services:N0} in place (old leader stopped by SIGTERM, releases its Lease): start → leading with all restored | {takeover.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| … stages: caches synced (process start, initial lists) / Lease acquired / all restored | {synced.TotalSeconds:F1} s / {acquired.TotalSeconds:F1} s / {takeover.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Restart after kill -9 (Lease not released, expires after 3 s): caches synced / Lease acquired / all restored | {killedSynced.TotalSeconds:F1} s / {killedAcquired.TotalSeconds:F1} s / {killedTakeover.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Restart CPU until leading: Allocator / test API server | {restartCpu.TotalSeconds:F1} s / {restartServerCpu.TotalSeconds:F1} s |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Restart: Service/ServiceGroup/Event writes in the 5 s after taking over | {restartWrites}{(restartWrites > 0 ? " (" + restartWritesBy + ")" : "")} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Restart: addresses that moved | {moved} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Restarted Allocator memory (RSS / peak RSS) | {rss2 / 1024.0:F0} MiB / {peak2 / 1024.0:F0} MiB |\n");
        text.Append(CultureInfo.InvariantCulture, $"| At the shipped default limit ({ShippedDefault}): {DefaultLimitServices:N0} more Services, first create → last address | {bulkTime.TotalSeconds:F1} s ({DefaultLimitServices / bulkTime.TotalSeconds:F0} Services/s, {bulkRequests / bulkTime.TotalSeconds:F0} requests/s) |\n");
        text.Append("\nPer Service the Allocator sends one annotation patch (`purelb.io/allocated-by`, `allocated-from`), one status update ");
        text.Append("(ingress with `ipMode: VIP` and the `beacon.io/AddressAssigned` condition) and one Event; reads come from the informer cache.\n");
        return text.ToString();

        ServiceProcess StartAllocator(string path, string identity, bool defaultLimit = false) => ServiceProcess.Start("Allocator",
        [
            "--http-address", "127.0.0.1", "--http-port", "0", "--lease-namespace", "beacon-system", "--lease-identity", identity,
            "--lease-duration", "3s", "--lease-renew-deadline", "2s", "--lease-retry-period", "500ms",
            .. defaultLimit ? Array.Empty<string>() : ["--kube-qps", Qps, "--kube-burst", Burst],
        ], new Dictionary<string, string> { ["KUBECONFIG"] = path });
    }

    /// <summary>Since <paramref name="started"/>: caches synced (its log line), Lease held (polled), all restored ("Leading:").</summary>
    private static async Task<(TimeSpan Synced, TimeSpan Acquired, TimeSpan Leading)> RestartStagesAsync(KubeApiTestServer server, ServiceProcess process,
        string identity, Stopwatch started)
    {
        var synced = process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("Caches synced"), Timeout)
            .ContinueWith(_ => started.Elapsed, TaskScheduler.Default);
        var leading = process.WaitForLineAsync(new System.Text.RegularExpressions.Regex("Leading: "), Timeout)
            .ContinueWith(_ => started.Elapsed, TaskScheduler.Default);
        await WaitAsync(() => server.Read(KubeResources.Leases, "beacon-system", "beacon-allocator")?.Spec?.HolderIdentity == identity, "takeover", 20);
        var acquired = started.Elapsed;
        return (await synced, acquired, await leading);
    }

    private static bool IsAddressed(JsonObject service) => service["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 };

    private static Dictionary<string, string> AddressesByService(IReadOnlyList<JsonObject> services) =>
        services.Where(s => s["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 })
            .ToDictionary(
                s => $"{s["metadata"]!["namespace"]}/{s["metadata"]!["name"]}",
                s => s["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!.GetValue<string>(),
                StringComparer.Ordinal);

    private static async Task WaitAsync(Func<bool> condition, string what, int pollMilliseconds = 250)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Timeout)
            {
                throw new TimeoutException($"{what} did not happen within {Timeout}");
            }

            // Polling reads every Service in the in-process store (without copying): not too often, it shares the CPU with the Allocator.
            await Task.Delay(pollMilliseconds);
        }
    }

    /// <summary>VmRSS and VmHWM (peak) of a process, in KiB, from /proc.</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        long Field(string name) => File.ReadLines($"/proc/{pid}/status")
            .Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(':', StringSplitOptions.TrimEntries)[1].Split(' ')[0], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return (Field("VmRSS"), Field("VmHWM"));
    }
}
