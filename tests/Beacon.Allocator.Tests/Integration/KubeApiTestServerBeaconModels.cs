using System.Text.Json;
using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Beacon.KubeApiServer;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>
/// Beacon.Kube's models on the test API server, which itself holds JSON and knows only the official client's models.
/// Goes away with Beacon.Kube's models (issue #11): use the server's Seed/Read with V1 models then.
/// </summary>
internal static class KubeApiTestServerBeaconModels
{
    extension(KubeApiTestServer server)
    {
        public T Seed<T>(KubeResource<T> resource, T value)
            where T : KubeObject =>
            server.Seed(KubeApiTestServer.Info(resource), JsonSerializer.SerializeToNode(value, resource.TypeInfo)!.AsObject()).Deserialize(resource.TypeInfo)!;

        public T? Read<T>(KubeResource<T> resource, string? @namespace, string name)
            where T : KubeObject =>
            server.Store.TryGet(KubeApiTestServer.Info(resource), @namespace, name)?.Deserialize(resource.TypeInfo);

        public IReadOnlyList<T> ReadAll<T>(KubeResource<T> resource)
            where T : KubeObject =>
            [.. server.Store.All(KubeApiTestServer.Info(resource)).Select(item => item.Deserialize(resource.TypeInfo)!)];

        public IReadOnlyList<(string Type, T Object)> History<T>(KubeResource<T> resource, string? @namespace = null, string? name = null)
            where T : KubeObject =>
            [.. server.Store.History(KubeApiTestServer.Info(resource), @namespace, name).Select(e => (e.Type, e.Object.Deserialize(resource.TypeInfo)!))];
    }

    extension(KubeApiTestServer)
    {
        public static ApiResourceInfo Info<T>(KubeResource<T> resource)
            where T : KubeObject =>
            ApiResourceCatalog.Find(resource.Group, resource.Version, resource.Plural)
            ?? throw new ArgumentException($"The test server does not serve {resource}.", nameof(resource));
    }
}
