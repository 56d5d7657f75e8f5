using Beacon.KubeApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Beacon.KubeApiServer.Tests;

/// <summary>
/// Two behaviours of KubernetesClient 21.0.8's watch that a list+watch loop built on it must handle, reproduced against
/// the test API server so the server keeps producing them (issue #11): a 410 Gone reaches only onError and the stream
/// then ends normally; a watch the server closes before its first event throws from the enumerator instead of ending.
/// </summary>
public sealed class OfficialClientWatchBehaviourTests : IAsyncLifetime
{
    private OfficialClientSession session = null!;

    private KubeApiTestServer Server => session.Server;

    private Kubernetes Client => session.Client;

    public async Task InitializeAsync() =>
        session = await OfficialClientSession.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMinutes(5) });

    public Task DisposeAsync() => session.DisposeAsync().AsTask();

    private Task<V1Service> CreateAsync(string name) => Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "apps" },
        Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80 }] },
    }, "apps");

    [Fact]
    public async Task A_watch_from_an_expired_version_reports_410_only_to_onError_and_then_ends_normally()
    {
        var old = (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Metadata.ResourceVersion;
        await CreateAsync("web");
        Server.Faults.ExpireResourceVersions();
        var errors = new List<Exception>();
        var events = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await foreach (var _ in Client.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: old, onError: errors.Add, cancellationToken: stop.Token))
        {
            events++;
        }

        stop.IsCancellationRequested.Should().BeFalse("the stream ended by itself");
        events.Should().Be(0);
        errors.Should().ContainSingle().Which.Should().BeOfType<KubernetesException>()
            .Which.Status.Code.Should().Be(410);
    }

    [Fact]
    public async Task A_watch_the_server_closes_before_its_first_event_throws_from_the_enumerator()
    {
        var version = (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Metadata.ResourceVersion;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in Client.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: version, cancellationToken: stop.Token))
            {
            }
        });

        // The server is the only one that knows when the watch is open; ask it until it has dropped one.
        while (Server.Faults.DropWatches() == 0 && !watching.IsCompleted)
        {
            await Task.Delay(20, stop.Token);
        }

        var ending = async () => await watching;
        await ending.Should().ThrowAsync<HttpRequestException>();
        stop.IsCancellationRequested.Should().BeFalse();
    }
}
