using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Formats;
using Beacon.Allocator.Manifests;
using Beacon.Kube.Json;
using Beacon.Kube.Models;
using Beacon.Kube.Validation;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// Turns manifest files into Kubernetes objects, exactly as the API server would accept them: ServiceGroups are
/// checked against the shipped CRD schema, every object must have a name, a key may be declared once. A broken
/// document is reported by file and line and skipped; everything else is kept. Pure.
/// </summary>
internal static class ManifestCatalog
{
    public static ManifestSnapshot Build(IEnumerable<(string File, string Text)> files) => Build(files, PoolFormats.Default);

    /// <param name="formats">Foreign formats whose objects are kept (untranslated) in <see cref="ManifestSnapshot.ForeignResources"/>.</param>
    public static ManifestSnapshot Build(IEnumerable<(string File, string Text)> files, PoolFormats formats)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(formats);
        var foreign = new List<ForeignResource>();
        var services = new Dictionary<string, Service>(StringComparer.Ordinal);
        var groups = new Dictionary<string, ServiceGroup>(StringComparer.Ordinal);
        var namespaces = new Dictionary<string, Namespace>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var slices = new List<EndpointSlice>();
        var problems = new List<ManifestProblem>();
        var declaredAt = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var (file, text) in files.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            var parsed = YamlManifestReader.Read(file, text);
            problems.AddRange(parsed.Problems);
            foreach (var document in parsed.Documents)
            {
                if (document.Root is not JsonObject root)
                {
                    problems.Add(new ManifestProblem(file, document.Line, "a manifest must be a mapping with apiVersion, kind and metadata"));
                    continue;
                }

                var kind = document.Kind;
                var apiVersion = document.ApiVersion;
                var name = root["metadata"]?["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
                if (string.IsNullOrWhiteSpace(name))
                {
                    problems.Add(new ManifestProblem(file, document.LineOf(".metadata"), $"{kind ?? "object"} has no metadata.name"));
                    continue;
                }

                // The API server would refuse these; a bad name must not reach subjects, the state file or the engine.
                var ns = root["metadata"]?["namespace"] is JsonValue nsValue && nsValue.TryGetValue<string>(out var nsText) ? nsText : null;
                if (kind is "Service" or "ServiceGroup" or "Namespace" or "Node" or "EndpointSlice" or "LBNodeAgent"
                    && KubeNameRules.Problem(kind, name, ns) is { } nameProblem)
                {
                    var at = KubeNameRules.Problem(kind, name, null) is null ? ".metadata.namespace" : ".metadata.name";
                    problems.Add(new ManifestProblem(file, document.LineOf(at), nameProblem + "; this object is ignored"));
                    continue;
                }

                try
                {
                    switch ((apiVersion, kind))
                    {
                        case ("v1", "Service"):
                            Add(services, Defaulted(Deserialize(root, KubeJsonContext.Default.Service)), document, declaredAt, problems);
                            break;
                        case ("purelb.io/v1", "ServiceGroup"):
                            var violations = CustomResourceSchema.ServiceGroup.Validate(root);
                            if (violations.Count > 0)
                            {
                                problems.AddRange(violations.Select(v => new ManifestProblem(file, document.LineOf(v.Path), $"ServiceGroup {name}: {v}")));
                                break;
                            }

                            var group = Deserialize(root, KubeJsonContext.Default.ServiceGroup);
                            group.Metadata.Namespace ??= "default";
                            Add(groups, group, document, declaredAt, problems);
                            break;
                        case ("v1", "Namespace"):
                            Add(namespaces, Deserialize(root, KubeJsonContext.Default.Namespace), document, declaredAt, problems);
                            break;
                        case ("v1", "Node"):
                            Add(nodes, Deserialize(root, KubeJsonContext.Default.Node), document, declaredAt, problems);
                            break;
                        case ("discovery.k8s.io/v1", "EndpointSlice"):
                            var slice = Deserialize(root, KubeJsonContext.Default.EndpointSlice);
                            slice.Metadata.Namespace ??= "default";
                            slices.Add(slice);
                            break;
                        case var _ when formats.Reads(apiVersion, kind):
                            AddForeign(foreign, Foreign(root, document, apiVersion!, kind!, name, ns), document, declaredAt, problems);
                            break;
                        default:
                            problems.Add(new ManifestProblem(file, document.Line, $"{apiVersion} {kind} is not something the Allocator reads (Service, ServiceGroup, Namespace, Node, EndpointSlice)"));
                            break;
                    }
                }
                catch (JsonException e)
                {
                    var path = e.Path is { Length: > 1 } p ? p.TrimStart('$') : string.Empty;
                    problems.Add(new ManifestProblem(file, document.LineOf(path), $"{kind} {name}: {e.Message.Split(" Path:")[0]}"));
                }
            }
        }

        return new ManifestSnapshot(services, groups, namespaces, nodes, slices, problems) { ForeignResources = foreign };
    }

    private static ForeignResource Foreign(JsonObject root, ManifestDocument document, string apiVersion, string kind, string name, string? ns)
    {
        var metadata = root["metadata"] as JsonObject;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata?["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
            }
        }

        DateTimeOffset? created = metadata?["creationTimestamp"] is JsonValue c && c.TryGetValue<string>(out var stamp)
                                  && DateTimeOffset.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;
        return new ForeignResource(apiVersion, kind, ns, name, created, labels, (JsonObject)root.DeepClone(), document.Source, document.Line, document.Lines);
    }

    private static void AddForeign(List<ForeignResource> into, ForeignResource value, ManifestDocument document, Dictionary<string, string> declaredAt, List<ManifestProblem> problems)
    {
        var id = $"{value.ApiVersion.Split('/')[0]} {value.Id}";
        if (declaredAt.TryGetValue(id, out var first))
        {
            problems.Add(new ManifestProblem(document.Source, document.Line, $"{value.Id} is already declared at {first}; this copy is ignored"));
            return;
        }

        declaredAt[id] = $"{document.Source}:{document.Line}";
        into.Add(value);
    }

    private static T Deserialize<T>(JsonObject root, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        root.Deserialize(type) ?? throw new JsonException("the document is empty");

    private static Service Defaulted(Service service)
    {
        service.Metadata.Namespace ??= "default";
        // The API server stamps creation times; in a directory the oldest declaration is the one first seen.
        return service;
    }

    private static void Add<T>(Dictionary<string, T> into, T value, ManifestDocument document, Dictionary<string, string> declaredAt, List<ManifestProblem> problems)
        where T : KubeObject
    {
        var key = value.Key;
        var id = $"{value.GetType().Name} {key}";
        if (declaredAt.TryGetValue(id, out var first))
        {
            problems.Add(new ManifestProblem(document.Source, document.Line, $"{id} is already declared at {first}; this copy is ignored"));
            return;
        }

        declaredAt[id] = $"{document.Source}:{document.Line}";
        into[key] = value;
    }
}
