using Beacon.Kube.Models;

namespace Beacon.Allocator.Tests;

/// <summary>Small builders for the Kubernetes objects the Allocator reads.</summary>
internal static class KubeObjects
{
    private static long clock;

    public static Service Service(string name, string ns = "default", Dictionary<string, string>? annotations = null,
        int[]? tcpPorts = null, string? loadBalancerClass = null, string type = "LoadBalancer", string? policy = null,
        Dictionary<string, string>? selector = null, string[]? families = null, string? familyPolicy = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = ns,
            Annotations = annotations,
            CreationTimestamp = DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref clock)),
            Generation = 1,
        },
        Spec = new ServiceSpec
        {
            Type = type,
            LoadBalancerClass = loadBalancerClass,
            Ports = (tcpPorts ?? [80]).Select(p => new ServicePort { Port = p, Protocol = "TCP" }).ToList(),
            ExternalTrafficPolicy = policy,
            Selector = selector ?? new Dictionary<string, string> { ["app"] = name },
            IPFamilies = families?.ToList(),
            IPFamilyPolicy = familyPolicy,
        },
    };

    public static ServiceGroup Group(string name, string subnet, string pool, string? aggregation = null, bool remote = false, bool? autoAssign = null)
    {
        var pools = new ServiceGroupPools
        {
            V4Pool = subnet.Contains(':', StringComparison.Ordinal) ? null : new AddressPool { Subnet = subnet, Pool = pool, Aggregation = aggregation },
            V6Pool = subnet.Contains(':', StringComparison.Ordinal) ? new AddressPool { Subnet = subnet, Pool = pool, Aggregation = aggregation } : null,
        };
        return new ServiceGroup
        {
            ApiVersion = "purelb.io/v1",
            Kind = "ServiceGroup",
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = "beacon-system",
                Generation = 1,
                CreationTimestamp = DateTimeOffset.UnixEpoch.AddSeconds(Interlocked.Increment(ref clock)),
            },
            Spec = new ServiceGroupSpec { Local = remote ? null : pools, Remote = remote ? pools : null, AutoAssign = autoAssign },
        };
    }

    public static Dictionary<string, string> Annotations(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    public static Service WithStatus(Service service, params string[] addresses)
    {
        service.Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = addresses.Select(a => new LoadBalancerIngress { IP = a, IpMode = "VIP" }).ToList() },
        };
        return service;
    }
}
