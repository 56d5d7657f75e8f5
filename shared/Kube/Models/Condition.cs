using System.Text.Json.Serialization;
using Beacon.Kube.Json;

namespace Beacon.Kube.Models;

/// <summary>metav1.Condition, used in Service status.conditions.</summary>
public sealed class Condition
{
    public string? Type { get; set; }

    /// <summary>"True", "False" or "Unknown".</summary>
    public string? Status { get; set; }

    public long? ObservedGeneration { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
