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
        return Build(files.Select(f => Read(f.File, f.Text, formats)));
    }

    /// <summary>
    /// The directory's view from files already read: every file's problems and objects in file-name order, a key
    /// declared twice kept where it is first declared (the copy reported).
    /// </summary>
    public static ManifestSnapshot Build(IEnumerable<ManifestFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var foreign = new List<ForeignResource>();
        var services = new Dictionary<string, Service>(StringComparer.Ordinal);
        var groups = new Dictionary<string, ServiceGroup>(StringComparer.Ordinal);
        var namespaces = new Dictionary<string, Namespace>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var slices = new List<EndpointSlice>();
        var problems = new List<ManifestProblem>();
        var declaredAt = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var file in files.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            foreach (var entry in file.Entries)
            {
                if (entry.Problem is { } problem)
                {
                    problems.Add(problem);
                    continue;
                }

                var document = entry.Document!;
                if (entry.Id is { } id)
                {
                    if (declaredAt.TryGetValue(id, out var first))
                    {
                        problems.Add(new ManifestProblem(document.Source, document.Line, $"{entry.Name} is already declared at {first}; this copy is ignored"));
                        continue;
                    }

                    declaredAt[id] = $"{document.Source}:{document.Line}";
                }

                switch (entry.Value)
                {
                    case Service service:
                        services[service.Key] = service;
                        break;
                    case ServiceGroup group:
                        groups[group.Key] = group;
                        break;
                    case Namespace ns:
                        namespaces[ns.Key] = ns;
                        break;
                    case Node node:
                        nodes[node.Key] = node;
                        break;
                    case EndpointSlice slice:
                        slices.Add(slice);
                        break;
                    case ForeignResource resource:
                        foreign.Add(resource);
                        break;
                }
            }
        }

        return new ManifestSnapshot(services, groups, namespaces, nodes, slices, problems) { ForeignResources = foreign };
    }

    /// <summary>Reads one file on its own: its problems and objects in document order (duplicates are found by <see cref="Build(IEnumerable{ManifestFile})"/>).</summary>
    /// <param name="writtenAt">The file's modification time: a foreign resource's age when it writes no creationTimestamp.</param>
    public static ManifestFile Read(string file, string text, DateTimeOffset? writtenAt = null) => Read(file, text, PoolFormats.Default, writtenAt);

    public static ManifestFile Read(string file, string text, PoolFormats formats, DateTimeOffset? writtenAt = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(formats);
        var entries = new List<ManifestEntry>();
        var parsed = YamlManifestReader.Read(file, text);
        entries.AddRange(parsed.Problems.Select(ManifestEntry.Failed));
        foreach (var document in parsed.Documents)
        {
            if (document.Root is not JsonObject root)
            {
                entries.Add(ManifestEntry.Failed(new ManifestProblem(file, document.Line, "a manifest must be a mapping with apiVersion, kind and metadata")));
                continue;
            }

            var kind = document.Kind;
            var apiVersion = document.ApiVersion;
            var name = root["metadata"]?["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
            if (string.IsNullOrWhiteSpace(name))
            {
                entries.Add(ManifestEntry.Failed(new ManifestProblem(file, document.LineOf(".metadata"), $"{kind ?? "object"} has no metadata.name")));
                continue;
            }

            // The API server would refuse these; a bad name must not reach subjects, the state file or the engine.
            var ns = root["metadata"]?["namespace"] is JsonValue nsValue && nsValue.TryGetValue<string>(out var nsText) ? nsText : null;
            if (kind is "Service" or "ServiceGroup" or "Namespace" or "Node" or "EndpointSlice" or "LBNodeAgent"
                && KubeNameRules.Problem(kind, name, ns) is { } nameProblem)
            {
                var at = KubeNameRules.Problem(kind, name, null) is null ? ".metadata.namespace" : ".metadata.name";
                entries.Add(ManifestEntry.Failed(new ManifestProblem(file, document.LineOf(at), nameProblem + "; this object is ignored")));
                continue;
            }

            try
            {
                switch ((apiVersion, kind))
                {
                    case ("v1", "Service"):
                        entries.Add(Kube(Defaulted(Deserialize(root, KubeJsonContext.Default.Service)), document));
                        break;
                    case ("purelb.io/v1", "ServiceGroup"):
                        var violations = CustomResourceSchema.ServiceGroup.Validate(root);
                        if (violations.Count > 0)
                        {
                            entries.AddRange(violations.Select(v => ManifestEntry.Failed(new ManifestProblem(file, document.LineOf(v.Path), $"ServiceGroup {name}: {v}"))));
                            break;
                        }

                        var group = Deserialize(root, KubeJsonContext.Default.ServiceGroup);
                        group.Metadata.Namespace ??= "default";
                        entries.Add(Kube(group, document));
                        break;
                    case ("v1", "Namespace"):
                        entries.Add(Kube(Deserialize(root, KubeJsonContext.Default.Namespace), document));
                        break;
                    case ("v1", "Node"):
                        entries.Add(Kube(Deserialize(root, KubeJsonContext.Default.Node), document));
                        break;
                    case ("discovery.k8s.io/v1", "EndpointSlice"):
                        var slice = Deserialize(root, KubeJsonContext.Default.EndpointSlice);
                        slice.Metadata.Namespace ??= "default";
                        entries.Add(new ManifestEntry(null, slice, null, null, document));
                        break;
                    case var _ when formats.Reads(apiVersion, kind):
                        var resource = Foreign(root, document, apiVersion!, kind!, name, ns) with { WrittenAt = writtenAt };
                        entries.Add(new ManifestEntry(null, resource, $"{resource.ApiVersion.Split('/')[0]} {resource.Id}", resource.Id, document));
                        break;
                    default:
                        entries.Add(ManifestEntry.Failed(new ManifestProblem(file, document.Line, $"{apiVersion} {kind} is not something the Allocator reads (Service, ServiceGroup, Namespace, Node, EndpointSlice)")));
                        break;
                }
            }
            catch (JsonException e)
            {
                var path = e.Path is { Length: > 1 } p ? p.TrimStart('$') : string.Empty;
                entries.Add(ManifestEntry.Failed(new ManifestProblem(file, document.LineOf(path), $"{kind} {name}: {e.Message.Split(" Path:")[0]}")));
            }
        }

        return new ManifestFile(file, entries);
    }

    private static ManifestEntry Kube(KubeObject value, ManifestDocument document)
    {
        var id = $"{value.GetType().Name} {value.Key}";
        return new ManifestEntry(null, value, id, id, document);
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

    private static T Deserialize<T>(JsonObject root, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        root.Deserialize(type) ?? throw new JsonException("the document is empty");

    private static Service Defaulted(Service service)
    {
        service.Metadata.Namespace ??= "default";
        // The API server stamps creation times; in a directory the oldest declaration is the one first seen.
        return service;
    }
}
