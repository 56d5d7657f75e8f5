using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Models;

/// <summary>core/v1 Service.</summary>
public sealed class Service : KubeObject
{
    public ServiceSpec Spec { get; set; } = new();

    public ServiceStatus? Status { get; set; }
}

public sealed class ServiceSpec
{
    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    public string? Type { get; set; }

    public List<ServicePort>? Ports { get; set; }

    public Dictionary<string, string>? Selector { get; set; }

    [JsonPropertyName("loadBalancerIP")]
    public string? LoadBalancerIP { get; set; }

    public string? LoadBalancerClass { get; set; }

    /// <summary>Cluster or Local.</summary>
    public string? ExternalTrafficPolicy { get; set; }

    [JsonPropertyName("ipFamilies")]
    public List<string>? IPFamilies { get; set; }

    [JsonPropertyName("ipFamilyPolicy")]
    public string? IPFamilyPolicy { get; set; }

    [JsonPropertyName("clusterIP")]
    public string? ClusterIP { get; set; }

    [JsonPropertyName("clusterIPs")]
    public List<string>? ClusterIPs { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ServicePort
{
    public string? Name { get; set; }

    /// <summary>TCP, UDP or SCTP (TCP when absent).</summary>
    public string? Protocol { get; set; }

    public int Port { get; set; }

    public IntOrString? TargetPort { get; set; }

    public int? NodePort { get; set; }

    public string? AppProtocol { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ServiceStatus
{
    public LoadBalancerStatus? LoadBalancer { get; set; }

    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class LoadBalancerStatus
{
    public List<LoadBalancerIngress>? Ingress { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class LoadBalancerIngress
{
    [JsonPropertyName("ip")]
    public string? IP { get; set; }

    public string? Hostname { get; set; }

    /// <summary>"VIP" or "Proxy".</summary>
    public string? IpMode { get; set; }

    public List<PortStatus>? Ports { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PortStatus
{
    public int Port { get; set; }

    public string? Protocol { get; set; }

    public string? Error { get; set; }
}
