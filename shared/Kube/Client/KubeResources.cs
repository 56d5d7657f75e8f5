using Beacon.Kube.Json;
using Beacon.Kube.Models;

namespace Beacon.Kube.Client;

/// <summary>The resources Beacon uses.</summary>
public static class KubeResources
{
    public static KubeResource<Service> Services { get; } =
        new("", "v1", "services", "Service", true, KubeJsonContext.Default.Service, KubeJsonContext.Default.KubeListService);

    public static KubeResource<EndpointSlice> EndpointSlices { get; } =
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, KubeJsonContext.Default.EndpointSlice, KubeJsonContext.Default.KubeListEndpointSlice);

    public static KubeResource<Node> Nodes { get; } =
        new("", "v1", "nodes", "Node", false, KubeJsonContext.Default.Node, KubeJsonContext.Default.KubeListNode);

    public static KubeResource<Namespace> Namespaces { get; } =
        new("", "v1", "namespaces", "Namespace", false, KubeJsonContext.Default.Namespace, KubeJsonContext.Default.KubeListNamespace);

    public static KubeResource<Lease> Leases { get; } =
        new("coordination.k8s.io", "v1", "leases", "Lease", true, KubeJsonContext.Default.Lease, KubeJsonContext.Default.KubeListLease);

    public static KubeResource<Event> Events { get; } =
        new("", "v1", "events", "Event", true, KubeJsonContext.Default.Event, KubeJsonContext.Default.KubeListEvent);

    public static KubeResource<ServiceGroup> ServiceGroups { get; } =
        new("purelb.io", "v1", "servicegroups", "ServiceGroup", true, KubeJsonContext.Default.ServiceGroup, KubeJsonContext.Default.KubeListServiceGroup);

    public static KubeResource<LBNodeAgent> LBNodeAgents { get; } =
        new("purelb.io", "v1", "lbnodeagents", "LBNodeAgent", true, KubeJsonContext.Default.LBNodeAgent, KubeJsonContext.Default.KubeListLBNodeAgent);
}
