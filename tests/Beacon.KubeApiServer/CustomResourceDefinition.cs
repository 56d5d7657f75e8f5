using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>Reads and checks apiextensions.k8s.io/v1 CustomResourceDefinition objects held as JSON.</summary>
public static class CustomResourceDefinition
{
    /// <summary>The resources a CRD serves: one per served version.</summary>
    public static IEnumerable<ApiResourceInfo> Resources(JsonObject definition)
    {
        var spec = definition["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = (string?)spec?["group"] ?? string.Empty;
        var plural = (string?)names?["plural"] ?? string.Empty;
        var kind = (string?)names?["kind"] ?? string.Empty;
        var namespaced = (string?)spec?["scope"] == "Namespaced";
        foreach (var version in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() != true)
            {
                continue;
            }

            var hasStatus = version["subresources"]?["status"] is JsonObject;
            yield return new ApiResourceInfo(group, (string?)version["name"] ?? string.Empty, plural, kind, namespaced, hasStatus, hasStatus, Custom: true)
            {
                Singular = (string?)names?["singular"] ?? kind.ToLowerInvariant(),
                ShortNames = [.. (names?["shortNames"] as JsonArray ?? []).Select(n => (string?)n ?? string.Empty)],
                Schema = version["schema"]?["openAPIV3Schema"] as JsonObject,
            };
        }
    }

    /// <summary>What the API server's CRD validation would reject (a subset: the fields the served API depends on).</summary>
    public static IEnumerable<string> Problems(JsonObject definition)
    {
        var spec = definition["spec"] as JsonObject;
        if (spec is null)
        {
            yield return "spec: Required value";
            yield break;
        }

        var group = (string?)spec["group"];
        var plural = (string?)spec["names"]?["plural"];
        var kind = (string?)spec["names"]?["kind"];
        if (string.IsNullOrEmpty(group) || !group.Contains('.', StringComparison.Ordinal) || ObjectNameRules.Dns1123Subdomain(group) is not null)
        {
            yield return $"spec.group: Invalid value: \"{group}\": should be a domain with at least one dot";
        }

        if (string.IsNullOrEmpty(plural) || ObjectNameRules.Dns1035Label(plural) is not null)
        {
            yield return $"spec.names.plural: Invalid value: \"{plural}\": a DNS-1035 label is required";
        }

        if (string.IsNullOrEmpty(kind))
        {
            yield return "spec.names.kind: Required value";
        }

        if ((string?)spec["scope"] is not ("Namespaced" or "Cluster"))
        {
            yield return $"spec.scope: Unsupported value: \"{(string?)spec["scope"]}\": supported values: \"Cluster\", \"Namespaced\"";
        }

        var name = (string?)definition["metadata"]?["name"];
        if (name != $"{plural}.{group}")
        {
            yield return $"metadata.name: Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group";
        }

        var versions = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (versions.Count == 0)
        {
            yield return "spec.versions: Invalid value: must have exactly one version marked as storage version";
        }
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            yield return "spec.versions: Invalid value: must have exactly one version marked as storage version";
        }
    }

    /// <summary>The status the API server gives a CRD it accepted: names accepted, established.</summary>
    public static JsonObject EstablishedStatus(JsonObject definition) => new()
    {
        ["acceptedNames"] = definition["spec"]?["names"]?.DeepClone(),
        ["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
            new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
        ["storedVersions"] = new JsonArray([.. (definition["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode?)JsonValue.Create((string?)v["name"]))]),
    };
}
