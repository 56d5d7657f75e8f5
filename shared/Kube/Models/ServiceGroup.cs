using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Models;

/// <summary>
/// purelb.io/v1 ServiceGroup. spec.local / spec.netbox follow PureLB's v1 schema (legacy subnet/pool/aggregation plus
/// v4pool/v6pool/v4pools/v6pools); spec.remote mirrors local (PureLB's newer split); autoAssign, avoidBuggyIPs and
/// allocation are Beacon extensions; status carries per-pool usage.
/// </summary>
public sealed class ServiceGroup : KubeObject
{
    public ServiceGroupSpec Spec { get; set; } = new();

    public ServiceGroupStatus? Status { get; set; }
}

public sealed class ServiceGroupSpec
{
    public ServiceGroupPools? Local { get; set; }

    public ServiceGroupPools? Remote { get; set; }

    public ServiceGroupNetbox? Netbox { get; set; }

    /// <summary>Beacon extension: false means only services naming this group get addresses from it.</summary>
    public bool? AutoAssign { get; set; }

    /// <summary>Beacon extension: skip .0 and .255 addresses.</summary>
    [JsonPropertyName("avoidBuggyIPs")]
    public bool? AvoidBuggyIPs { get; set; }

    public ServiceGroupAllocation? Allocation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Pools of a local or remote group.</summary>
public sealed class ServiceGroupPools
{
    /// <summary>Legacy single-pool form (either family).</summary>
    public string? Subnet { get; set; }

    public string? Pool { get; set; }

    public string? Aggregation { get; set; }

    [JsonPropertyName("v4pool")]
    public AddressPool? V4Pool { get; set; }

    [JsonPropertyName("v6pool")]
    public AddressPool? V6Pool { get; set; }

    [JsonPropertyName("v4pools")]
    public List<AddressPool>? V4Pools { get; set; }

    [JsonPropertyName("v6pools")]
    public List<AddressPool>? V6Pools { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class AddressPool
{
    /// <summary>CIDR the pool lives in, e.g. 192.168.1.0/24.</summary>
    public string? Subnet { get; set; }

    /// <summary>CIDR or "from-to" range, e.g. 192.168.1.240-192.168.1.250.</summary>
    public string? Pool { get; set; }

    /// <summary>"default" or "/N".</summary>
    public string? Aggregation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ServiceGroupNetbox
{
    public string? Url { get; set; }

    public string? Tenant { get; set; }

    public string? Aggregation { get; set; }
}

/// <summary>Beacon extension: which services may draw from this group, and in which order groups are tried.</summary>
public sealed class ServiceGroupAllocation
{
    public int? Priority { get; set; }

    public List<string>? Namespaces { get; set; }

    public LabelSelector? NamespaceSelector { get; set; }

    public LabelSelector? ServiceSelector { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ServiceGroupStatus
{
    public List<PoolUsage>? Pools { get; set; }

    public List<Condition>? Conditions { get; set; }

    public long? ObservedGeneration { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PoolUsage
{
    /// <summary>The pool as written in the spec.</summary>
    public string? Pool { get; set; }

    /// <summary>IPv4 or IPv6.</summary>
    public string? Family { get; set; }

    /// <summary>IPv6 pools larger than 2^63 addresses report long.MaxValue.</summary>
    public long Size { get; set; }

    public long Used { get; set; }

    public long Free { get; set; }
}
