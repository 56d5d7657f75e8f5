using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// The discovery documents (/api, /apis, /api/v1, /apis/{group}/{version}, /version) built from what the server
/// serves at the moment, CRDs included, in the unaggregated shapes clients read.
/// </summary>
internal static class ApiDiscovery
{
    // deletecollection is not offered: this server does not implement it.
    private static readonly string[] AllVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    /// <summary>The document for a discovery path, or null when the path is not one.</summary>
    public static JsonObject? For(string path, ResourceCatalog resources)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "34",
                ["gitVersion"] = "v1.34.0-beacon-test",
                ["platform"] = "linux/amd64",
            },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
            },
            ["apis"] => Groups(resources),
            ["api", var version] => ResourceList(resources, string.Empty, version),
            ["apis", var group] => Group(resources, group),
            ["apis", var group, var version] => ResourceList(resources, group, version),
            _ => null,
        };
    }

    private static JsonObject Groups(ResourceCatalog resources) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. resources.All.Where(r => r.Group.Length > 0).Select(r => r.Group).Distinct().Order(StringComparer.Ordinal)
            .Select(g => (JsonNode)GroupBody(resources, g))]),
    };

    private static JsonObject? Group(ResourceCatalog resources, string group)
    {
        if (!resources.All.Any(r => r.Group == group && group.Length > 0))
        {
            return null;
        }

        var body = GroupBody(resources, group);
        body["kind"] = "APIGroup";
        body["apiVersion"] = "v1";
        return body;
    }

    private static JsonObject GroupBody(ResourceCatalog resources, string group)
    {
        var versions = resources.All.Where(r => r.Group == group).Select(r => r.Version).Distinct().Order(StringComparer.Ordinal).ToList();
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[^1]),
        };
    }

    private static JsonObject? ResourceList(ResourceCatalog resources, string group, string version)
    {
        var served = resources.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var resource in served)
        {
            list.Add(new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = new JsonArray([.. AllVerbs.Select(v => (JsonNode)v)]),
                ["shortNames"] = resource.ShortNames.Count > 0 ? new JsonArray([.. resource.ShortNames.Select(n => (JsonNode)n)]) : null,
            });
            if (resource.HasStatus)
            {
                list.Add(new JsonObject
                {
                    ["name"] = $"{resource.Plural}/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = resource.Namespaced,
                    ["kind"] = resource.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }
}
