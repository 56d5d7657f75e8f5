using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Beacon.KubeApiServer;

/// <summary>
/// The resources every server starts with: the built-in kinds Beacon uses, plus every CustomResourceDefinition in the
/// repository's k8s/ manifests (embedded at build time), so a CRD manifest added there is served without code.
/// </summary>
public static class ApiResourceCatalog
{
    public static ApiResourceInfo CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, true, true);

    public static IReadOnlyList<ApiResourceInfo> BuiltIn { get; } =
    [
        new("", "v1", "services", "Service", true, true, true) { ShortNames = ["svc"] },
        new("", "v1", "namespaces", "Namespace", false, true, false) { ShortNames = ["ns"] },
        new("", "v1", "nodes", "Node", false, true, false) { ShortNames = ["no"] },
        new("", "v1", "configmaps", "ConfigMap", true, false, false) { ShortNames = ["cm"] },
        new("", "v1", "events", "Event", true, false, false) { ShortNames = ["ev"] },
        new("events.k8s.io", "v1", "events", "Event", true, false, false) { ShortNames = ["ev"] },
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, false, false),
        new("coordination.k8s.io", "v1", "leases", "Lease", true, false, false),
        CustomResourceDefinitions,
    ];

    /// <summary>The CRD objects from the repository's k8s/ manifests.</summary>
    public static IReadOnlyList<JsonObject> ManifestDefinitions { get; } = LoadManifestDefinitions();

    /// <summary>Built-in resources plus those of the manifests' CRDs.</summary>
    public static IReadOnlyList<ApiResourceInfo> All { get; } =
        [.. BuiltIn, .. ManifestDefinitions.SelectMany(CustomResourceDefinition.Resources)];

    public static ApiResourceInfo? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public static ApiResourceInfo ById(string id) =>
        All.FirstOrDefault(r => r.Id == id) ?? throw new ArgumentException($"Unknown resource '{id}'. Known: {string.Join(", ", All.Select(r => r.Id))}.", nameof(id));

    /// <summary>Parses CustomResourceDefinition documents from YAML (other kinds in the text are skipped).</summary>
    public static IReadOnlyList<JsonObject> ParseDefinitions(string yaml)
    {
        var result = new List<JsonObject>();
        foreach (var document in System.Text.RegularExpressions.Regex.Split(yaml, @"^---\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            if (document.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal))
            {
                var definition = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(document);
                result.Add(JsonNode.Parse(KubernetesJson.Serialize(definition))!.AsObject());
            }
        }

        return result;
    }

    private static List<JsonObject> LoadManifestDefinitions()
    {
        var assembly = typeof(ApiResourceCatalog).Assembly;
        var result = new List<JsonObject>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("crd/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            if (text.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal))
            {
                result.AddRange(ParseDefinitions(text));
            }
        }

        return result;
    }
}
