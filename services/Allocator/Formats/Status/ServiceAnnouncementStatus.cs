using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// A MetalLB <c>metallb.io/v1beta1</c> ServiceL2Status or ServiceBGPStatus object: one per Service and announcing node,
/// labelled <c>metallb.io/node</c>, <c>metallb.io/service-name</c>, <c>metallb.io/service-namespace</c> as MetalLB
/// labels them, so <c>kubectl get servicel2status -l metallb.io/service-name=web</c> reads as before.
/// </summary>
internal sealed record ServiceAnnouncementStatus
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = "metallb.io/v1beta1";

    /// <summary>"ServiceL2Status" or "ServiceBGPStatus".</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("metadata")]
    public required AnnouncementStatusMetadata Metadata { get; init; }

    [JsonPropertyName("status")]
    public required AnnouncementStatusBody Status { get; init; }
}

/// <summary>The object's name (deterministic, so the Allocator can apply it idempotently), namespace and labels.</summary>
internal sealed record AnnouncementStatusMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels);

/// <summary>MetalLBServiceL2Status / MetalLBServiceBGPStatus: interfaces for layer 2, peers for BGP.</summary>
internal sealed record AnnouncementStatusBody
{
    [JsonPropertyName("node")]
    public required string Node { get; init; }

    [JsonPropertyName("serviceName")]
    public required string ServiceName { get; init; }

    [JsonPropertyName("serviceNamespace")]
    public required string ServiceNamespace { get; init; }

    [JsonPropertyName("interfaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<InterfaceName>? Interfaces { get; init; }

    [JsonPropertyName("peers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Peers { get; init; }
}

/// <summary>MetalLB's InterfaceInfo.</summary>
internal sealed record InterfaceName([property: JsonPropertyName("name")] string Name);
