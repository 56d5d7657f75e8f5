namespace Beacon.Ipam;

/// <summary>
/// Everything the engine needs to know about one Service, copied out of the Kubernetes object by the Allocator.
/// Only <see cref="Key"/> is required; everything else defaults to what Kubernetes defaults it to.
/// </summary>
public sealed record ServiceRequest
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public required ServiceKey Key { get; init; }

    /// <summary><c>spec.type</c>; only <c>LoadBalancer</c> is managed.</summary>
    public string Type { get; init; } = "LoadBalancer";

    /// <summary><c>spec.loadBalancerClass</c>; managed when unset or equal to <see cref="AllocatorOptions.LoadBalancerClass"/>.</summary>
    public string? LoadBalancerClass { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = None;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = None;

    /// <summary>Labels of the Service's namespace, for <c>allocation.namespaceSelector</c>.</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; init; } = None;

    /// <summary><c>spec.loadBalancerIP</c> (deprecated by Kubernetes, still honoured).</summary>
    public string? LoadBalancerIP { get; init; }

    public IpFamilyPolicy IpFamilyPolicy { get; init; } = IpFamilyPolicy.SingleStack;

    /// <summary><c>spec.ipFamilies</c>, primary first. Empty means "IPv4" (or the family of the requested address).</summary>
    public IReadOnlyList<IpFamily> IpFamilies { get; init; } = [];

    public IReadOnlyList<ServicePort> Ports { get; init; } = [];

    public ExternalTrafficPolicy ExternalTrafficPolicy { get; init; } = ExternalTrafficPolicy.Cluster;

    /// <summary><c>spec.selector</c> (the pod selector), compared when sharing with <c>externalTrafficPolicy: Local</c>.</summary>
    public IReadOnlyDictionary<string, string> Selector { get; init; } = None;
}
