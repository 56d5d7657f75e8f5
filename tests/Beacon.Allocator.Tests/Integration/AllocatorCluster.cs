using System.Net;
using System.Text.Json;
using Beacon.Kube.Client;
using Beacon.Kube.Json;
using Beacon.Kube.Models;
using Beacon.KubeApiServer;
using Beacon.TestSupport.Processes;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>
/// The test Kubernetes API server in-process plus real Allocator processes (the built Beacon.Allocator.dll) pointed at
/// it through a kubeconfig, with short lease timings so failover tests run in seconds.
/// </summary>
internal sealed class AllocatorCluster : IAsyncDisposable
{
    public const string Namespace = "beacon-system";
    private readonly string directory;
    private readonly List<ServiceProcess> processes = [];

    private AllocatorCluster(KubeApiTestServer server, string directory)
    {
        Server = server;
        this.directory = directory;
    }

    public KubeApiTestServer Server { get; }

    public string KubeconfigPath => Path.Combine(directory, "kubeconfig");

    public static async Task<AllocatorCluster> StartAsync()
    {
        var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        var directory = Directory.CreateTempSubdirectory("beacon-allocator-test-").FullName;
        var cluster = new AllocatorCluster(server, directory);
        await File.WriteAllTextAsync(cluster.KubeconfigPath, server.CreateKubeconfig());
        return cluster;
    }

    public ServiceProcess StartAllocator(string identity, string? natsUrl = null, params string[] extra)
    {
        string[] arguments =
        [
            "--http-address", "127.0.0.1", "--http-port", "0",
            "--lease-namespace", Namespace, "--lease-identity", identity,
            "--lease-duration", "2s", "--lease-renew-deadline", "1500ms", "--lease-retry-period", "250ms",
            "--kube-qps", "5000", "--kube-burst", "5000",
            .. natsUrl is null ? Array.Empty<string>() : ["--nats-url", natsUrl],
            .. extra,
        ];
        var process = ServiceProcess.Start("Allocator", arguments, new Dictionary<string, string> { ["KUBECONFIG"] = KubeconfigPath });
        processes.Add(process);
        return process;
    }

    public ServiceGroup SeedGroup(string name, string subnet, string pool) => Server.Seed(KubeResources.ServiceGroups, new ServiceGroup
    {
        ApiVersion = "purelb.io/v1",
        Kind = "ServiceGroup",
        Metadata = new ObjectMeta { Name = name, Namespace = Namespace },
        Spec = new ServiceGroupSpec { Local = new ServiceGroupPools { V4Pool = new AddressPool { Subnet = subnet, Pool = pool, Aggregation = "default" } } },
    });

    public Service SeedService(string name, string ns = "default", Dictionary<string, string>? annotations = null, string? loadBalancerClass = null) =>
        Server.Seed(KubeResources.Services, new Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Annotations = annotations },
            Spec = new ServiceSpec
            {
                Type = "LoadBalancer",
                LoadBalancerClass = loadBalancerClass,
                Ports = [new ServicePort { Port = 80, Protocol = "TCP" }],
                Selector = new Dictionary<string, string> { ["app"] = name },
            },
        });

    public IReadOnlyList<Service> Services() =>
        Server.Store.All(ApiResourceCatalog.ById("services")).Select(o => o.Deserialize(KubeJsonContext.Default.Service)!).ToList();

    public Service? Service(string name, string ns = "default") => Server.Read(KubeResources.Services, ns, name);

    public ServiceGroup? Group(string name) => Server.Read(KubeResources.ServiceGroups, Namespace, name);

    public Lease? Lease() => Server.Read(KubeResources.Leases, Namespace, "beacon-allocator");

    public static string? AddressOf(Service service) => service.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.IP;

    /// <summary>name → address for every Service that has one.</summary>
    public Dictionary<string, string> Addresses() =>
        Services().Where(s => AddressOf(s) is not null).ToDictionary(s => s.Key, s => AddressOf(s)!);

    /// <summary>Polls until <paramref name="accept"/> holds, failing with <paramref name="describe"/> of the last value.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<T> probe, Func<T, bool> accept, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = probe();
            if (accept(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not reached within {timeout}: {describe(value)}");
            }

            await Task.Delay(50);
        }
    }

    public static bool InRange(string address, string first, string last)
    {
        static uint Value(string a) => BitConverter.ToUInt32(IPAddress.Parse(a).GetAddressBytes().Reverse().ToArray());
        var v = Value(address);
        return v >= Value(first) && v <= Value(last);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: temp files.
        }
    }

    public string Transcripts() => string.Join("\n----\n", processes.Select(p => p.Transcript));
}
