using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// The resources one server serves: the built-in ones and those of the CustomResourceDefinitions it holds. Changes
/// as CRDs are created and deleted; readers get an immutable snapshot without locking.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly Lock _gate = new();
    private volatile ApiResourceInfo[] _resources = [.. ApiResourceCatalog.BuiltIn];
    private readonly Dictionary<string, ApiResourceInfo[]> _byDefinition = new(StringComparer.Ordinal);

    public IReadOnlyList<ApiResourceInfo> All => _resources;

    public ApiResourceInfo? Find(string group, string version, string plural)
    {
        foreach (var resource in _resources)
        {
            if (resource.Plural == plural && resource.Version == version && resource.Group == group)
            {
                return resource;
            }
        }

        return null;
    }

    public ApiResourceInfo? FindKind(string apiVersion, string kind) =>
        _resources.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    /// <summary>Serves (or re-serves, after an update) the versions of a CRD.</summary>
    internal void Define(JsonObject definition)
    {
        var name = StoredObject.Name(definition);
        lock (_gate)
        {
            _byDefinition[name] = [.. CustomResourceDefinition.Resources(definition)];
            Rebuild();
        }
    }

    internal void Undefine(string definitionName)
    {
        lock (_gate)
        {
            if (_byDefinition.Remove(definitionName))
            {
                Rebuild();
            }
        }
    }

    private void Rebuild() => _resources = [.. ApiResourceCatalog.BuiltIn, .. _byDefinition.Values.SelectMany(r => r)];
}
