using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Models;

/// <summary>discovery.k8s.io/v1 EndpointSlice. The owning Service is in label kubernetes.io/service-name.</summary>
public sealed class EndpointSlice : KubeObject
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>IPv4, IPv6 or FQDN.</summary>
    public string? AddressType { get; set; }

    public List<Endpoint>? Endpoints { get; set; }

    public List<EndpointPort>? Ports { get; set; }

    [JsonIgnore]
    public string? ServiceName =>
        Metadata?.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var name) ? name : null;
}

public sealed class Endpoint
{
    public List<string> Addresses { get; set; } = [];

    public EndpointConditions? Conditions { get; set; }

    public string? NodeName { get; set; }

    public string? Zone { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Absent ready/serving means "unknown", which consumers should treat as ready (API convention).</summary>
public sealed class EndpointConditions
{
    public bool? Ready { get; set; }

    public bool? Serving { get; set; }

    public bool? Terminating { get; set; }
}

public sealed class EndpointPort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public int? Port { get; set; }

    public string? AppProtocol { get; set; }
}
