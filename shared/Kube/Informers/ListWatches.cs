using Beacon.Kube.CustomResources;
using Beacon.Kube.Json;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using k8s;
using k8s.Models;

namespace Beacon.Kube.Informers;

/// <summary>The cluster-wide list+watch of each resource Beacon follows, on the official client.</summary>
public static class ListWatches
{
    public static IListWatch<Service> Services(IKubernetes client) =>
        new LibraryListWatch<V1Service, V1ServiceList, V1Service, Service>("services",
            (next, limit, ct) => client.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
            (version, timeout, onError, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true,
                resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            item => ServiceMapping.ToRecord((V1Service)item));

    public static IListWatch<EndpointSlice> EndpointSlices(IKubernetes client) =>
        new LibraryListWatch<V1EndpointSlice, V1EndpointSliceList, V1EndpointSlice, EndpointSlice>("endpointslices.discovery.k8s.io",
            (next, limit, ct) => client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
            (version, timeout, onError, ct) => client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true,
                resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.EndpointSlice);

    public static IListWatch<Node> Nodes(IKubernetes client) =>
        new LibraryListWatch<V1Node, V1NodeList, V1Node, Node>("nodes",
            (next, limit, ct) => client.CoreV1.ListNodeAsync(continueParameter: next, limit: limit, cancellationToken: ct),
            (version, timeout, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true,
                resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.Node);

    public static IListWatch<Namespace> Namespaces(IKubernetes client) =>
        new LibraryListWatch<V1Namespace, V1NamespaceList, V1Namespace, Namespace>("namespaces",
            (next, limit, ct) => client.CoreV1.ListNamespaceAsync(continueParameter: next, limit: limit, cancellationToken: ct),
            (version, timeout, onError, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true,
                resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.Namespace);

    public static IListWatch<ServiceGroup> ServiceGroups(IKubernetes client) =>
        new LibraryListWatch<ServiceGroupResource, ServiceGroupResourceList, object, ServiceGroup>("servicegroups.purelb.io",
            (next, limit, ct) => client.CustomObjects.ListClusterCustomObjectAsync<ServiceGroupResourceList>(PureLbResources.Group, PureLbResources.Version,
                PureLbResources.ServiceGroups, continueParameter: next, limit: limit, cancellationToken: ct),
            // The library watches custom objects as JSON; the mapping below turns them into the same records as the list.
            (version, timeout, onError, ct) => client.CustomObjects.WatchListClusterCustomObjectAsync(PureLbResources.Group,
                PureLbResources.Version, PureLbResources.ServiceGroups, allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout,
                onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.ServiceGroup);

    public static IListWatch<LBNodeAgent> LBNodeAgents(IKubernetes client) =>
        new LibraryListWatch<LBNodeAgentResource, LBNodeAgentResourceList, object, LBNodeAgent>("lbnodeagents.purelb.io",
            (next, limit, ct) => client.CustomObjects.ListClusterCustomObjectAsync<LBNodeAgentResourceList>(PureLbResources.Group, PureLbResources.Version,
                PureLbResources.LBNodeAgents, continueParameter: next, limit: limit, cancellationToken: ct),
            // The library watches custom objects as JSON; the mapping below turns them into the same records as the list.
            (version, timeout, onError, ct) => client.CustomObjects.WatchListClusterCustomObjectAsync(PureLbResources.Group,
                PureLbResources.Version, PureLbResources.LBNodeAgents, allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout,
                onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.LBNodeAgent);

    /// <summary>Every object of one custom resource (in all namespaces when it is namespaced), spec and status kept as JSON.</summary>
    public static IListWatch<CustomObject> CustomObjects(IKubernetes client, string group, string version, string plural) =>
        new LibraryListWatch<CustomObjectResource, CustomObjectResourceList, object, CustomObject>($"{plural}.{group}/{version}",
            (next, limit, ct) => client.CustomObjects.ListClusterCustomObjectAsync<CustomObjectResourceList>(group, version, plural,
                continueParameter: next, limit: limit, cancellationToken: ct),
            (resourceVersion, timeout, onError, ct) => client.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.CustomObject);

    /// <summary>The one ConfigMap <paramref name="namespace"/>/<paramref name="name"/> (a field selector on its name), as JSON.</summary>
    public static IListWatch<CustomObject> ConfigMap(IKubernetes client, string @namespace, string name) =>
        new LibraryListWatch<V1ConfigMap, V1ConfigMapList, V1ConfigMap, CustomObject>($"configmaps {@namespace}/{name}",
            (next, limit, ct) => client.CoreV1.ListNamespacedConfigMapAsync(@namespace, fieldSelector: $"metadata.name={name}",
                continueParameter: next, limit: limit, cancellationToken: ct),
            (resourceVersion, timeout, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync(@namespace, fieldSelector: $"metadata.name={name}",
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
            KubeJsonContext.Default.CustomObject);
}
