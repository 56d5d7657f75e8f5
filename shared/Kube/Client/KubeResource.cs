using System.Text.Json.Serialization.Metadata;
using Beacon.Kube.Json;
using Beacon.Kube.Models;

namespace Beacon.Kube.Client;

/// <summary>Where a resource lives in the API (group/version/plural, namespaced or not) and how to (de)serialize it.</summary>
public sealed class KubeResource<T>
    where T : KubeObject
{
    public KubeResource(string group, string version, string plural, string kind, bool namespaced,
        JsonTypeInfo<T> typeInfo, JsonTypeInfo<KubeList<T>> listTypeInfo)
    {
        Group = group;
        Version = version;
        Plural = plural;
        Kind = kind;
        Namespaced = namespaced;
        TypeInfo = typeInfo;
        ListTypeInfo = listTypeInfo;
    }

    /// <summary>Empty for the core group.</summary>
    public string Group { get; }

    public string Version { get; }

    public string Plural { get; }

    public string Kind { get; }

    public bool Namespaced { get; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public JsonTypeInfo<T> TypeInfo { get; }

    public JsonTypeInfo<KubeList<T>> ListTypeInfo { get; }

    /// <summary>Path of the collection, e.g. /api/v1/namespaces/ns/services or /apis/purelb.io/v1/servicegroups.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        if (Namespaced && !string.IsNullOrEmpty(@namespace))
        {
            return $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}";
        }

        return $"{root}/{Plural}";
    }

    public string ObjectPath(string? @namespace, string name, string? subresource = null)
    {
        if (Namespaced && string.IsNullOrEmpty(@namespace))
        {
            throw new ArgumentException($"{Kind} is namespaced; a namespace is required to address '{name}'.", nameof(@namespace));
        }

        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";
        return subresource is null ? path : $"{path}/{subresource}";
    }

    /// <summary>A deep copy via JSON (cache objects are shared; clone before mutating).</summary>
    public T Clone(T value) =>
        System.Text.Json.JsonSerializer.Deserialize(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo), TypeInfo)!;

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
