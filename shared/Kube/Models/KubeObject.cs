using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Models;

/// <summary>Common shape of every Kubernetes object: type meta, object meta, and fields we do not model.</summary>
public abstract class KubeObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>Fields this model does not know; kept so whole-object writes never drop them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>"namespace/name", or "name" for cluster-scoped objects.</summary>
    [JsonIgnore]
    public string Key => ObjectKey.Of(Metadata.Namespace, Metadata.Name);
}
