namespace Beacon.KubeApiServer;

/// <summary>What the server knows about one resource type.</summary>
public sealed record ApiResourceInfo(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatus, bool ResetStatusOnCreate)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Stable identifier used in request counts and the store, e.g. "services" or "servicegroups.purelb.io".</summary>
    public string Id => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

/// <summary>The resources served (those Beacon uses).</summary>
public static class ApiResourceCatalog
{
    public static IReadOnlyList<ApiResourceInfo> All { get; } =
    [
        new("", "v1", "services", "Service", true, true, true),
        new("", "v1", "namespaces", "Namespace", false, true, false),
        new("", "v1", "nodes", "Node", false, true, false),
        new("", "v1", "events", "Event", true, false, false),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, false, false),
        new("coordination.k8s.io", "v1", "leases", "Lease", true, false, false),
        new("purelb.io", "v1", "servicegroups", "ServiceGroup", true, true, true),
        new("purelb.io", "v1", "lbnodeagents", "LBNodeAgent", true, true, true),
    ];

    public static ApiResourceInfo? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public static ApiResourceInfo ById(string id) =>
        All.FirstOrDefault(r => r.Id == id) ?? throw new ArgumentException($"Unknown resource '{id}'. Known: {string.Join(", ", All.Select(r => r.Id))}.", nameof(id));
}
