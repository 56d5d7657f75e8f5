using Beacon.Kube.Json;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using k8s;
using k8s.Models;

namespace Beacon.Kube.Tests;

/// <summary>Service writes through the official client, in the records the informer delivers (test setup).</summary>
internal sealed class ServiceWrites(IKubernetes client)
{
    public async Task<Service> CreateAsync(Service service, CancellationToken cancellationToken = default) =>
        ToRecord(await client.CoreV1.CreateNamespacedServiceAsync(ToLibrary(service), service.Metadata.Namespace, cancellationToken: cancellationToken));

    public async Task<Service> UpdateAsync(Service service, CancellationToken cancellationToken = default) =>
        ToRecord(await client.CoreV1.ReplaceNamespacedServiceAsync(ToLibrary(service), service.Metadata.Name, service.Metadata.Namespace,
            cancellationToken: cancellationToken));

    public Task DeleteAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        client.CoreV1.DeleteNamespacedServiceAsync(name, @namespace, cancellationToken: cancellationToken);

    private static V1Service ToLibrary(Service service) => ModelMapping.ToLibrary<V1Service, Service>(service, KubeJsonContext.Default.Service);

    private static Service ToRecord(V1Service service) => ModelMapping.ToRecord(service, KubeJsonContext.Default.Service);
}
