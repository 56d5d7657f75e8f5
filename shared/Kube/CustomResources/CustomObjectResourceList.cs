using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Beacon.Kube.CustomResources;

public sealed class CustomObjectResourceList : IKubernetesObject<V1ListMeta>, IItems<CustomObjectResource>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<CustomObjectResource> Items { get; set; } = [];
}
