using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Kube.Json;

namespace Beacon.Kube.Models;

/// <summary>core/v1 Node (cluster-scoped).</summary>
public sealed class Node : KubeObject
{
    public NodeSpec? Spec { get; set; }

    public NodeStatus? Status { get; set; }
}

public sealed class NodeSpec
{
    public bool? Unschedulable { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class NodeStatus
{
    public List<NodeAddress>? Addresses { get; set; }

    public List<NodeCondition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class NodeAddress
{
    /// <summary>InternalIP, ExternalIP, Hostname, ...</summary>
    public string? Type { get; set; }

    public string? Address { get; set; }
}

public sealed class NodeCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastHeartbeatTime { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}
