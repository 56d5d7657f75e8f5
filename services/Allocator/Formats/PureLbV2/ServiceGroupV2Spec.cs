using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// <c>purelb.io/v2</c> ServiceGroup <c>spec</c> (PureLB's pkg/apis/purelb/v2). Beacon's CRD serves v1 and v2 with one
/// schema, so Beacon's v1 extensions (autoAssign, avoidBuggyIPs, allocation) may appear here too and are honoured.
/// </summary>
internal sealed record ServiceGroupV2Spec
{
    [JsonPropertyName("local")]
    public ServiceGroupV2Pools? Local { get; init; }

    [JsonPropertyName("remote")]
    public ServiceGroupV2Pools? Remote { get; init; }

    [JsonPropertyName("external")]
    public JsonObject? External { get; init; }

    [JsonPropertyName("netbox")]
    public JsonObject? Netbox { get; init; }

    /// <summary>Namespaces whose unannotated Services draw from this group; empty: every namespace.</summary>
    [JsonPropertyName("namespaces")]
    public IReadOnlyList<string>? Namespaces { get; init; }

    [JsonPropertyName("enforceNamespaces")]
    public bool? EnforceNamespaces { get; init; }

    [JsonPropertyName("namespaceDefault")]
    public bool? NamespaceDefault { get; init; }

    [JsonPropertyName("autoAssign")]
    public bool? AutoAssign { get; init; }

    [JsonPropertyName("avoidBuggyIPs")]
    public bool? AvoidBuggyIPs { get; init; }

    [JsonPropertyName("allocation")]
    public ServiceGroupV2Allocation? Allocation { get; init; }
}

/// <summary><c>spec.local</c> / <c>spec.remote</c>.</summary>
internal sealed record ServiceGroupV2Pools
{
    [JsonPropertyName("v4pool")]
    public ServiceGroupV2Pool? V4Pool { get; init; }

    [JsonPropertyName("v6pool")]
    public ServiceGroupV2Pool? V6Pool { get; init; }

    [JsonPropertyName("v4pools")]
    public IReadOnlyList<ServiceGroupV2Pool>? V4Pools { get; init; }

    [JsonPropertyName("v6pools")]
    public IReadOnlyList<ServiceGroupV2Pool>? V6Pools { get; init; }

    [JsonPropertyName("skipIPv6DAD")]
    public bool? SkipIPv6DAD { get; init; }

    [JsonPropertyName("multiPool")]
    public bool? MultiPool { get; init; }

    [JsonPropertyName("balancePools")]
    public bool? BalancePools { get; init; }

    /// <summary>v1's single-pool form, still accepted because both versions share one schema.</summary>
    [JsonPropertyName("subnet")]
    public string? Subnet { get; init; }

    [JsonPropertyName("pool")]
    public string? Pool { get; init; }

    [JsonPropertyName("aggregation")]
    public string? Aggregation { get; init; }
}

/// <summary>One address pool.</summary>
internal sealed record ServiceGroupV2Pool
{
    [JsonPropertyName("pool")]
    public string? Pool { get; init; }

    [JsonPropertyName("subnet")]
    public string? Subnet { get; init; }

    [JsonPropertyName("aggregation")]
    public string? Aggregation { get; init; }
}

/// <summary>Beacon's <c>spec.allocation</c> extension.</summary>
internal sealed record ServiceGroupV2Allocation
{
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    [JsonPropertyName("namespaces")]
    public IReadOnlyList<string>? Namespaces { get; init; }

    [JsonPropertyName("namespaceSelector")]
    public LabelSelectorDocument? NamespaceSelector { get; init; }

    [JsonPropertyName("serviceSelector")]
    public LabelSelectorDocument? ServiceSelector { get; init; }
}
