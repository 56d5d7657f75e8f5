using Beacon.KubeApiServer;
using k8s;

namespace Beacon.KubeApiServer.Tests;

/// <summary>
/// The test API server with the official KubernetesClient pointed at it through a kubeconfig file, the way a user's
/// tools reach a real cluster. Disposing stops both and removes the kubeconfig.
/// </summary>
internal sealed class OfficialClientSession : IAsyncDisposable
{
    private readonly string directory;

    private OfficialClientSession(KubeApiTestServer server, Kubernetes client, string directory)
    {
        Server = server;
        Client = client;
        this.directory = directory;
    }

    public KubeApiTestServer Server { get; }

    public Kubernetes Client { get; }

    public static async Task<OfficialClientSession> StartAsync(KubeApiServerOptions options)
    {
        var server = await KubeApiTestServer.StartAsync(options);
        var directory = Directory.CreateTempSubdirectory("beacon-official-client-").FullName;
        try
        {
            var kubeconfig = Path.Combine(directory, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, server.CreateKubeconfig());
            return new OfficialClientSession(server, new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)), directory);
        }
        catch
        {
            await server.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Client.Dispose();
        }
        finally
        {
            await Server.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
