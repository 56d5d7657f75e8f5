using Beacon.Ipam;
using KubeService = Beacon.Kube.Models.Service;

namespace Beacon.Allocator.Mapping;

/// <summary>Copies what the allocation engine needs out of a Kubernetes Service. Pure.</summary>
internal static class ServiceRequestMapper
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>
    /// The engine's view of <paramref name="service"/>. A Service this Allocator does not serve (another class, not a
    /// LoadBalancer) maps to a request the engine will not manage, so anything it held is released.
    /// </summary>
    public static ServiceRequest ToRequest(KubeService service, IReadOnlyDictionary<string, string>? namespaceLabels, LoadBalancerClassFilter classes)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(classes);
        var spec = service.Spec;
        var served = string.Equals(spec.Type, "LoadBalancer", StringComparison.Ordinal) && classes.Serves(spec.LoadBalancerClass);
        return new ServiceRequest
        {
            Key = KeyOf(service),
            Type = served ? "LoadBalancer" : "NotServed",
            // The engine compares against one class; ours were already accepted above.
            LoadBalancerClass = null,
            Annotations = service.Metadata.Annotations ?? Empty,
            Labels = service.Metadata.Labels ?? Empty,
            NamespaceLabels = namespaceLabels ?? Empty,
            LoadBalancerIP = string.IsNullOrWhiteSpace(spec.LoadBalancerIP) ? null : spec.LoadBalancerIP.Trim(),
            IpFamilyPolicy = spec.IPFamilyPolicy switch
            {
                "PreferDualStack" => IpFamilyPolicy.PreferDualStack,
                "RequireDualStack" => IpFamilyPolicy.RequireDualStack,
                _ => IpFamilyPolicy.SingleStack,
            },
            IpFamilies = (spec.IPFamilies ?? []).Select(f => f switch
            {
                "IPv6" => (IpFamily?)IpFamily.IPv6,
                "IPv4" => IpFamily.IPv4,
                _ => null,
            }).OfType<IpFamily>().Distinct().ToList(),
            Ports = (spec.Ports ?? []).Select(p => new ServicePort(p.Port, string.IsNullOrEmpty(p.Protocol) ? "TCP" : p.Protocol)).ToList(),
            ExternalTrafficPolicy = string.Equals(spec.ExternalTrafficPolicy, "Local", StringComparison.Ordinal)
                ? ExternalTrafficPolicy.Local
                : ExternalTrafficPolicy.Cluster,
            Selector = spec.Selector ?? Empty,
        };
    }

    public static ServiceKey KeyOf(KubeService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new ServiceKey(service.Metadata.Namespace ?? "default", service.Metadata.Name ?? string.Empty);
    }

    /// <summary>Addresses in <c>status.loadBalancer.ingress</c> that parse as IPs (hostnames are not ours).</summary>
    public static IReadOnlyList<System.Net.IPAddress> StatusAddresses(KubeService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return (service.Status?.LoadBalancer?.Ingress ?? [])
            .Select(i => System.Net.IPAddress.TryParse(i.IP, out var address) ? address : null)
            .OfType<System.Net.IPAddress>()
            .ToList();
    }
}
