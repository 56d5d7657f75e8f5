using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Kube.Json;

namespace Beacon.Kube.Models;

/// <summary>coordination.k8s.io/v1 Lease.</summary>
public sealed class Lease : KubeObject
{
    public LeaseSpec Spec { get; set; } = new();
}

public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
