using System.Net;
using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>Compact builders for groups and Service requests used across the tests.</summary>
internal static class Fixtures
{
    public static ServiceGroupSpec V4Group(string name, string subnet, string pool, DateTimeOffset? createdAt = null) =>
        new() { Name = name, V4Pool = new PoolSpec(subnet, pool), CreatedAt = createdAt };

    public static ServiceGroupSpec DualGroup(string name, string v4Subnet, string v4Pool, string v6Subnet, string v6Pool) =>
        new() { Name = name, V4Pool = new PoolSpec(v4Subnet, v4Pool), V6Pool = new PoolSpec(v6Subnet, v6Pool) };

    public static ServiceRequest Service(
        string name,
        string? group = null,
        string? addresses = null,
        string? sharingKey = null,
        string ns = "default",
        IpFamilyPolicy policy = IpFamilyPolicy.SingleStack,
        IpFamily[]? families = null,
        ServicePort[]? ports = null,
        ExternalTrafficPolicy trafficPolicy = ExternalTrafficPolicy.Cluster,
        Dictionary<string, string>? selector = null,
        Dictionary<string, string>? labels = null,
        Dictionary<string, string>? namespaceLabels = null,
        string? loadBalancerIP = null)
    {
        var annotations = new Dictionary<string, string>();
        if (group is not null) { annotations[ServiceAnnotations.ServiceGroup] = group; }
        if (addresses is not null) { annotations[ServiceAnnotations.Addresses] = addresses; }
        if (sharingKey is not null) { annotations[ServiceAnnotations.AllowSharedIp] = sharingKey; }
        return new ServiceRequest
        {
            Key = new ServiceKey(ns, name),
            Annotations = annotations,
            IpFamilyPolicy = policy,
            IpFamilies = families ?? [],
            Ports = ports ?? [new ServicePort(80)],
            ExternalTrafficPolicy = trafficPolicy,
            Selector = selector ?? new Dictionary<string, string> { ["app"] = name },
            Labels = labels ?? new Dictionary<string, string>(),
            NamespaceLabels = namespaceLabels ?? new Dictionary<string, string>(),
            LoadBalancerIP = loadBalancerIP,
        };
    }

    public static AddressAllocator Engine(AllocatorOptions? options, params ServiceGroupSpec[] groups)
    {
        var engine = new AddressAllocator(options);
        var result = engine.SetGroups(groups);
        result.Errors.Should().BeEmpty();
        return engine;
    }

    public static AddressAllocator Engine(params ServiceGroupSpec[] groups) => Engine(null, groups);

    public static string[] Ips(this AllocationOutcome outcome) => outcome.Addresses.Select(a => a.Address.ToString()).ToArray();

    public static IPAddress Ip(string text) => IPAddress.Parse(text);
}
