using System.Diagnostics;
using System.Globalization;
using System.Text;
using Beacon.TestSupport.Processes;
using k8s;
using k8s.Models;

namespace Beacon.Benchmarks.KubeApiServer;

/// <summary>
/// The test API server's own throughput through the official client over loopback HTTP, so the allocator benchmark
/// (2,000 Services/s, up to 3 writes each, watch fan-out to the Allocator) is known not to be limited by it: creates/s,
/// status writes/s, merge patches/s, and watch events/s delivered to several watchers at once.
/// </summary>
internal sealed class KubeApiServerBenchmarks : IBenchmarkSuite
{
    private const int Services = 5_000;
    private const int InFlight = 32;
    private const int Watchers = 4;

    public string Name => "kubeapiserver";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("beacon-bench-kubeapi-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        // The server in its own process, so its CPU time is its own and not the client's.
        var start = ExternalPrograms.StartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Beacon.KubeApiServer.dll"), "--port", "0", "--history", "200000", "--kubeconfig", kubeconfig]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var server = Process.Start(start)!;
        try
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("Kubeconfig written", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

            // Warm up (JIT, connections) outside the measurement.
            await RunAsync(200, InFlight, i => client.CoreV1.CreateNamespacedServiceAsync(Service($"warm-{i}"), "warm", cancellationToken: cancellationToken));

            var version = (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken)).Metadata.ResourceVersion;
            var expectedEvents = Services * 3L;
            var delivered = new long[Watchers];
            var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stopWatches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watches = Enumerable.Range(0, Watchers).Select(w => Task.Run(async () =>
            {
                try
                {
                    await foreach (var (type, _) in client.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: version, cancellationToken: stopWatches.Token))
                    {
                        if (type is WatchEventType.Added or WatchEventType.Modified && Interlocked.Increment(ref delivered[w]) == expectedEvents
                            && delivered.All(d => d >= expectedEvents))
                        {
                            allDelivered.TrySetResult();
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Measurement over.
                }
            }, CancellationToken.None)).ToList();

            server.Refresh();
            var serverCpuBefore = server.TotalProcessorTime;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var total = Stopwatch.StartNew();
            var created = new V1Service[Services];
            var createTime = await RunAsync(Services, InFlight, async i => created[i] = await client.CoreV1.CreateNamespacedServiceAsync(Service($"svc-{i:D5}"), $"ns-{i % 50:D2}", cancellationToken: cancellationToken));
            var patchTime = await RunAsync(Services, InFlight, i => client.CoreV1.PatchNamespacedServiceAsync(
                new V1Patch("""{"metadata":{"annotations":{"purelb.io/allocated-by":"Beacon","purelb.io/allocated-from":"default"}}}""", V1Patch.PatchType.MergePatch),
                created[i].Metadata.Name, created[i].Metadata.NamespaceProperty, cancellationToken: cancellationToken));
            var statusTime = await RunAsync(Services, InFlight, i =>
            {
                var service = created[i];
                service.Metadata.ResourceVersion = null;
                service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = $"10.0.{i / 250}.{i % 250 + 1}", IpMode = "VIP" }] } };
                return client.CoreV1.ReplaceNamespacedServiceStatusAsync(service, service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            });
            var writes = total.Elapsed;
            await allDelivered.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            var toLastEvent = total.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            server.Refresh();
            var serverCpu = server.TotalProcessorTime - serverCpuBefore;
            await stopWatches.CancelAsync();
            await Task.WhenAll(watches);

            var text = new StringBuilder();
            text.Append("## Test API server throughput (`tests/Beacon.KubeApiServer`)\n\n");
            text.Append(CultureInfo.InvariantCulture, $"Command: `./build.sh --target=Bench --bench={Name}` · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · ");
            text.Append(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version} ");
            text.Append("(shared machine: other work ran at the same time, so absolute numbers are noisy).\n\n");
            text.Append(CultureInfo.InvariantCulture, $"The server as its own process (`Beacon.KubeApiServer.dll --port 0`), the official KubernetesClient in the benchmark process over loopback HTTP, {InFlight} requests in flight: {Services:N0} Services created, ");
            text.Append(CultureInfo.InvariantCulture, $"then one annotation merge patch and one status PUT each (the Allocator's writes per Service), while {Watchers} watches of all Services ");
            text.Append("receive every change. Client and server share the 2 cores (and the machine), so rates are lower bounds; the server's CPU time per write is the figure that says whether it can keep up.\n\n");
            text.Append("| Measurement | Value |\n|---|---|\n");
            text.Append(CultureInfo.InvariantCulture, $"| Creates (POST) | {Services / createTime.TotalSeconds:N0} /s |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Merge patches (PATCH) | {Services / patchTime.TotalSeconds:N0} /s |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Status writes (PUT /status) | {Services / statusTime.TotalSeconds:N0} /s |\n");
            text.Append(CultureInfo.InvariantCulture, $"| All {Services * 3:N0} writes | {Services * 3 / writes.TotalSeconds:N0} /s |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Watch events delivered ({Watchers} watchers × {expectedEvents:N0}), first write → last event at every watcher | {Watchers * expectedEvents / toLastEvent.TotalSeconds:N0} /s |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Last event delivered after the last write | {(toLastEvent - writes).TotalMilliseconds:N0} ms |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Server CPU per write, incl. sending its {Watchers} watch events | {serverCpu.TotalMicroseconds / (Services * 3):N0} µs |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Client CPU per write, incl. reading {Watchers} watch events (official client) | {cpu.TotalMicroseconds / (Services * 3):N0} µs |\n");
            text.Append(CultureInfo.InvariantCulture, $"| Writes/s the server alone could take on one idle core at that CPU cost | {Services * 3 / serverCpu.TotalSeconds:N0} /s |\n");
            return text.ToString();
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
    };

    /// <summary>Runs count operations with at most inFlight at a time; returns the wall time.</summary>
    private static async Task<TimeSpan> RunAsync(int count, int inFlight, Func<int, Task> operation)
    {
        var next = -1;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await operation(i);
            }
        })));
        return elapsed.Elapsed;
    }
}
