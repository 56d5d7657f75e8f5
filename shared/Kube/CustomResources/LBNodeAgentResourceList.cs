using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Beacon.Kube.CustomResources;

public sealed class LBNodeAgentResourceList : IKubernetesObject<V1ListMeta>, IItems<LBNodeAgentResource>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = PureLbResources.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "LBNodeAgentList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<LBNodeAgentResource> Items { get; set; } = [];
}
