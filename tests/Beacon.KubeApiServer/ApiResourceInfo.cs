using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// What the server knows about one resource type. <paramref name="Custom"/> marks resources defined by a
/// CustomResourceDefinition (they follow the custom-resource rules: no unconditional update, schema validation).
/// </summary>
public sealed record ApiResourceInfo(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatus, bool ResetStatusOnCreate, bool Custom = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Stable identifier used in request counts and the store, e.g. "services" or "servicegroups.purelb.io".</summary>
    public string Id => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>The openAPIV3Schema of a custom resource version (null: not validated).</summary>
    public JsonObject? Schema { get; init; }

    public bool Equals(ApiResourceInfo? other) =>
        other is not null && Group == other.Group && Version == other.Version && Plural == other.Plural;

    public override int GetHashCode() => HashCode.Combine(Group, Version, Plural);
}
