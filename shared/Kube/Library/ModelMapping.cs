using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Beacon.Kube.Library;

/// <summary>
/// The edge between the official client's models and the records Beacon's domain works on. Both follow the API's
/// JSON, so the mapping is the API's own wire format: nothing is lost either way, including fields neither side models.
/// </summary>
public static class ModelMapping
{
    public static T ToRecord<T>(object libraryObject, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(libraryObject);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(KubernetesJson.Serialize(libraryObject), typeInfo)
            ?? throw new JsonException($"{libraryObject.GetType().Name} serialised to null");
    }

    public static TLibrary ToLibrary<TLibrary, T>(T record, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return KubernetesJson.Deserialize<TLibrary>(JsonSerializer.Serialize(record, typeInfo))
            ?? throw new JsonException($"{typeof(T).Name} serialised to null");
    }
}
