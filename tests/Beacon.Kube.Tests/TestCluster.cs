using Beacon.Kube.Client;
using Beacon.Kube.Config;
using Beacon.Kube.Models;
using Beacon.KubeApiServer;

namespace Beacon.Kube.Tests;

/// <summary>A test API server on loopback plus clients connected to it over real HTTP.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(KubeApiTestServer server, KubeApiClient client)
    {
        Server = server;
        Client = client;
        Kubernetes = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        Writes = new ServiceWrites(Kubernetes);
    }

    /// <summary>The official client, as the Allocator uses it.</summary>
    public k8s.Kubernetes Kubernetes { get; }

    /// <summary>Service writes through <see cref="Kubernetes"/>.</summary>
    public ServiceWrites Writes { get; }

    public KubeApiTestServer Server { get; }

    public KubeApiClient Client { get; }

    public ResourceClient<Service> Services => Client.For(KubeResources.Services);

    public static async Task<TestCluster> StartAsync(KubeApiServerOptions? serverOptions = null, KubeClientOptions? clientOptions = null)
    {
        var server = await KubeApiTestServer.StartAsync(serverOptions);
        var client = new KubeApiClient(new KubeConnection { Server = server.BaseAddress }, clientOptions ?? new KubeClientOptions { Qps = 1000, Burst = 1000 });
        return new TestCluster(server, client);
    }

    public KubeApiClient NewClient(KubeClientOptions? options = null) =>
        new(new KubeConnection { Server = Server.BaseAddress }, options ?? new KubeClientOptions { Qps = 1000, Burst = 1000 });

    public static Service LoadBalancer(string @namespace, string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Namespace = @namespace, Name = name, Labels = labels },
        Spec = new ServiceSpec
        {
            Type = "LoadBalancer",
            Ports = [new ServicePort { Port = 80, Protocol = "TCP", TargetPort = new IntOrString(8080) }],
            Selector = new Dictionary<string, string> { ["app"] = name },
        },
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Kubernetes.Dispose();
        await Server.DisposeAsync();
    }
}
