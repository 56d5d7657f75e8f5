using System.Text.Json;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// What the API server checks before it stores an object: kind and apiVersion against the endpoint, names, labels
/// and annotations, the required fields of the built-in kinds Beacon uses, and custom objects against their CRD's
/// schema (unknown fields pruned, as for structural schemas). Problems are a 422 Invalid naming each field.
/// </summary>
internal sealed class ObjectValidator(ResourceCatalog resources)
{
    /// <summary>400 when the body says it is something other than what the URL addresses.</summary>
    public static void CheckType(ApiResourceInfo resource, JsonObject body)
    {
        if ((string?)body["apiVersion"] is { Length: > 0 } apiVersion && apiVersion != resource.ApiVersion)
        {
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        if ((string?)body["kind"] is { Length: > 0 } kind && kind != resource.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }
    }

    public void Check(ApiResourceInfo resource, JsonObject item, string? @namespace)
    {
        var problems = new List<string>();
        var name = StoredObject.Name(item);
        var nameProblem = resource.Kind switch
        {
            "Service" when resource.Group.Length == 0 => ObjectNameRules.Dns1035Label(name),
            "Namespace" when resource.Group.Length == 0 => ObjectNameRules.Dns1123Label(name),
            _ => ObjectNameRules.Dns1123Subdomain(name),
        };
        if (nameProblem is not null)
        {
            problems.Add($"metadata.name: Invalid value: \"{name}\": {nameProblem}");
        }

        if (@namespace is not null && ObjectNameRules.Dns1123Label(@namespace) is { } namespaceProblem)
        {
            problems.Add($"metadata.namespace: Invalid value: \"{@namespace}\": {namespaceProblem}");
        }

        CheckMap(item["metadata"]?["labels"], "metadata.labels", checkValues: true, problems);
        CheckMap(item["metadata"]?["annotations"], "metadata.annotations", checkValues: false, problems);
        switch (resource)
        {
            case { Group: "", Kind: "Service" }:
                ServiceRules(item, problems);
                break;
            case { Group: "", Kind: "Event" }:
                CoreEventRules(item, @namespace, problems);
                break;
            case { Group: "events.k8s.io", Kind: "Event" }:
                EventsApiRules(item, problems);
                break;
            case { Group: "discovery.k8s.io", Kind: "EndpointSlice" }:
                EndpointSliceRules(item, problems);
                break;
            case { Group: "coordination.k8s.io", Kind: "Lease" }:
                if (JsonNumber.Integer(item["spec"]?["leaseDurationSeconds"]) is { } duration && duration <= 0)
                {
                    problems.Add($"spec.leaseDurationSeconds: Invalid value: {duration}: must be greater than 0");
                }

                break;
            case { Custom: false } when resource == ApiResourceCatalog.CustomResourceDefinitions:
                problems.AddRange(CustomResourceDefinition.Problems(item));
                break;
            case { Custom: true, Schema: { } schema }:
                if (resources.Find(resource.Group, resource.Version, resource.Plural) is null)
                {
                    throw ApiError.NotFound(resource, name);
                }

                foreach (var (field, value) in item.ToList())
                {
                    if (field is not ("apiVersion" or "kind" or "metadata") && schema["properties"]?[field] is JsonObject fieldSchema)
                    {
                        OpenApiSchema.Validate(fieldSchema, value, field, problems);
                    }
                    else if (field is not ("apiVersion" or "kind" or "metadata"))
                    {
                        item.Remove(field);
                    }
                }

                OpenApiSchema.CheckRequired(schema, item, string.Empty, problems);
                break;
        }

        if (problems.Count > 0)
        {
            throw ApiError.Invalid(resource, name, problems);
        }
    }

    private static void CheckMap(JsonNode? map, string path, bool checkValues, List<string> problems)
    {
        if (map is not JsonObject entries)
        {
            return;
        }

        foreach (var (key, value) in entries)
        {
            if (!ObjectNameRules.IsQualifiedName(key))
            {
                problems.Add($"{path}: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }

            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                problems.Add($"{path}.{key}: Invalid value: must be a string");
            }
            else if (checkValues && !ObjectNameRules.IsLabelValue(text.GetValue<string>()))
            {
                problems.Add($"{path}: Invalid value: \"{text.GetValue<string>()}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }
    }

    private static void ServiceRules(JsonObject item, List<string> problems)
    {
        var spec = item["spec"] as JsonObject;
        var type = (string?)spec?["type"] ?? "ClusterIP";
        if (type is not ("ClusterIP" or "NodePort" or "LoadBalancer" or "ExternalName"))
        {
            problems.Add($"spec.type: Unsupported value: \"{type}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        }

        if (type == "ExternalName")
        {
            if (string.IsNullOrEmpty((string?)spec?["externalName"]))
            {
                problems.Add("spec.externalName: Required value");
            }

            return;
        }

        var ports = (spec?["ports"] as JsonArray ?? []).ToList();
        if (ports.Count == 0 && (string?)spec?["clusterIP"] != "None")
        {
            problems.Add("spec.ports: Required value");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i] as JsonObject;
            var number = JsonNumber.Integer(port?["port"]) ?? 0;
            if (number is < 1 or > 65535)
            {
                problems.Add($"spec.ports[{i}].port: Invalid value: {number}: must be between 1 and 65535, inclusive");
            }

            if ((string?)port?["protocol"] is { } protocol && protocol is not ("TCP" or "UDP" or "SCTP"))
            {
                problems.Add($"spec.ports[{i}].protocol: Unsupported value: \"{protocol}\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
            }

            var portName = (string?)port?["name"] ?? string.Empty;
            if (ports.Count > 1 && portName.Length == 0)
            {
                problems.Add($"spec.ports[{i}].name: Required value");
            }
            else if (portName.Length > 0 && !names.Add(portName))
            {
                problems.Add($"spec.ports[{i}].name: Duplicate value: \"{portName}\"");
            }
        }
    }

    private static void CoreEventRules(JsonObject item, string? @namespace, List<string> problems)
    {
        // The legacy rule of ValidateEventCreate: an event lives in its object's namespace (cluster-scoped: default).
        var involved = item["involvedObject"] as JsonObject;
        var involvedNamespace = (string?)involved?["namespace"] ?? string.Empty;
        if (involvedNamespace.Length == 0 ? @namespace is not (null or "default") : involvedNamespace != @namespace)
        {
            problems.Add($"involvedObject.namespace: Invalid value: \"{involvedNamespace}\": does not match event.namespace");
        }
    }

    private static void EventsApiRules(JsonObject item, List<string> problems)
    {
        foreach (var field in new[] { "eventTime", "reportingController", "reportingInstance", "action", "reason" })
        {
            if (string.IsNullOrEmpty((string?)item[field]))
            {
                problems.Add($"{field}: Required value");
            }
        }

        if ((string?)item["type"] is not ("Normal" or "Warning"))
        {
            problems.Add($"type: Unsupported value: \"{(string?)item["type"]}\": supported values: \"Normal\", \"Warning\"");
        }
    }

    private static void EndpointSliceRules(JsonObject item, List<string> problems)
    {
        if ((string?)item["addressType"] is not ("IPv4" or "IPv6" or "FQDN"))
        {
            problems.Add($"addressType: Unsupported value: \"{(string?)item["addressType"]}\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");
        }

        var endpoints = item["endpoints"] as JsonArray ?? [];
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i]?["addresses"] is not JsonArray { Count: > 0 and <= 100 })
            {
                problems.Add($"endpoints[{i}].addresses: Required value: must contain at least 1 address and at most 100");
            }
        }
    }
}
