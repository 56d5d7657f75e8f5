using System.Text.Json.Nodes;

namespace Beacon.Allocator.Manifests;

/// <summary>The openAPIV3Schema of one version of a CustomResourceDefinition, read from its manifest.</summary>
internal sealed class CustomResourceSchema
{
    private CustomResourceSchema(string group, string kind, string version, JsonObject schema)
    {
        Group = group;
        Kind = kind;
        Version = version;
        Schema = schema;
    }

    public string Group { get; }

    public string Kind { get; }

    public string Version { get; }

    public string ApiVersion => $"{Group}/{Version}";

    public JsonObject Schema { get; }

    /// <summary>The ServiceGroup schema shipped in k8s/base/crds, embedded at build time.</summary>
    public static CustomResourceSchema ServiceGroup { get; } = FromEmbedded("servicegroups.purelb.io.yaml");

    /// <summary>The LBNodeAgent schema shipped in k8s/base/crds, embedded at build time.</summary>
    public static CustomResourceSchema LBNodeAgent { get; } = FromEmbedded("lbnodeagents.purelb.io.yaml");

    /// <summary>The schema of <paramref name="version"/> in an embedded CRD (k8s/base/crds), e.g. a MetalLB kind's.</summary>
    public static CustomResourceSchema Embedded(string resourceName, string version)
    {
        using var stream = typeof(CustomResourceSchema).Assembly.GetManifestResourceStream(resourceName)
                           ?? throw new InvalidOperationException($"embedded resource {resourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        var parsed = YamlManifestReader.Read(resourceName, reader.ReadToEnd());
        if (parsed.Problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("; ", parsed.Problems));
        }

        return FromDefinition(parsed.Documents[0], version);
    }

    /// <summary>Reads the storage version's schema of the first CustomResourceDefinition in <paramref name="document"/>.</summary>
    public static CustomResourceSchema FromDefinition(ManifestDocument document) => FromDefinition(document, null);

    /// <summary>Reads <paramref name="version"/>'s schema (the storage version's when null) of the CustomResourceDefinition in <paramref name="document"/>.</summary>
    public static CustomResourceSchema FromDefinition(ManifestDocument document, string? version)
    {
        ArgumentNullException.ThrowIfNull(document);
        var spec = document.Root?["spec"] as JsonObject
                   ?? throw new InvalidDataException($"{document.Source}:{document.Line}: not a CustomResourceDefinition (no spec)");
        var group = spec["group"]?.GetValue<string>() ?? throw new InvalidDataException("CustomResourceDefinition has no spec.group");
        var kind = spec["names"]?["kind"]?.GetValue<string>() ?? throw new InvalidDataException("CustomResourceDefinition has no spec.names.kind");
        var versions = spec["versions"] as JsonArray ?? throw new InvalidDataException("CustomResourceDefinition has no spec.versions");
        var storage = versions.OfType<JsonObject>().FirstOrDefault(v => version is null
                          ? v["storage"]?.GetValue<bool>() == true
                          : v["name"]?.GetValue<string>() == version)
                      ?? throw new InvalidDataException(version is null ? "CustomResourceDefinition has no storage version" : $"CustomResourceDefinition has no version {version}");
        var schema = storage["schema"]?["openAPIV3Schema"] as JsonObject
                     ?? throw new InvalidDataException("CustomResourceDefinition's storage version has no openAPIV3Schema");
        return new CustomResourceSchema(group, kind, storage["name"]!.GetValue<string>(), schema);
    }

    public IReadOnlyList<SchemaViolation> Validate(JsonNode? value) => OpenApiSchemaValidator.Validate(Schema, value);

    private static CustomResourceSchema FromEmbedded(string name)
    {
        using var stream = typeof(CustomResourceSchema).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        var parsed = YamlManifestReader.Read(name, reader.ReadToEnd());
        if (parsed.Problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("; ", parsed.Problems));
        }

        return FromDefinition(parsed.Documents[0]);
    }
}
