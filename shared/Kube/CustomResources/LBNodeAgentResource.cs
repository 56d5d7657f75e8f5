using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Kube.Models;
using k8s;
using k8s.Models;

namespace Beacon.Kube.CustomResources;

/// <summary>purelb.io/v1 LBNodeAgent as a typed object of the official client.</summary>
public sealed class LBNodeAgentResource : IKubernetesObject<V1ObjectMeta>, ISpec<LBNodeAgentSpec>
{
    public const string KubeKind = "LBNodeAgent";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = PureLbResources.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public LBNodeAgentSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public JsonElement? Status { get; set; }
}
