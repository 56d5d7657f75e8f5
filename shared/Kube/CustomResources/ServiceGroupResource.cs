using System.Text.Json.Serialization;
using Beacon.Kube.Models;
using k8s;
using k8s.Models;

namespace Beacon.Kube.CustomResources;

/// <summary>purelb.io/v1 ServiceGroup as a typed object of the official client (spec and status are Beacon's CR model).</summary>
public sealed class ServiceGroupResource : IKubernetesObject<V1ObjectMeta>, ISpec<ServiceGroupSpec>, IStatus<ServiceGroupStatus?>
{
    public const string KubeKind = "ServiceGroup";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = PureLbResources.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceGroupSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public ServiceGroupStatus? Status { get; set; }
}
