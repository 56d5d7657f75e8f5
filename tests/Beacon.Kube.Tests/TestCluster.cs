using Beacon.Kube.Models;
using Beacon.KubeApiServer;

namespace Beacon.Kube.Tests;

/// <summary>A test API server on loopback plus clients connected to it over real HTTP.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(KubeApiTestServer server)
    {
        Server = server;
        Kubernetes = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        Writes = new ServiceWrites(Kubernetes);
    }

    /// <summary>The official client, as the Allocator uses it.</summary>
    public k8s.Kubernetes Kubernetes { get; }

    /// <summary>Service writes through <see cref="Kubernetes"/>.</summary>
    public ServiceWrites Writes { get; }

    public KubeApiTestServer Server { get; }

    public static async Task<TestCluster> StartAsync(KubeApiServerOptions? serverOptions = null) =>
        new(await KubeApiTestServer.StartAsync(serverOptions));

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
        Kubernetes.Dispose();
        await Server.DisposeAsync();
    }
}
