using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Models;

/// <summary>purelb.io/v1 LBNodeAgent: spec.local {localint, extlbint, sendgarp} as in PureLB, plus Beacon's nodeSelector.</summary>
public sealed class LBNodeAgent : KubeObject
{
    public LBNodeAgentSpec Spec { get; set; } = new();

    public JsonElement? Status { get; set; }
}

public sealed class LBNodeAgentSpec
{
    public LBNodeAgentLocal? Local { get; set; }

    /// <summary>Beacon extension: which nodes this configuration applies to (all when absent).</summary>
    public LabelSelector? NodeSelector { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class LBNodeAgentLocal
{
    /// <summary>Interface for local addresses; "default" means the interface with the default route.</summary>
    [JsonPropertyName("localint")]
    public string? LocalInterface { get; set; }

    /// <summary>Dummy interface for non-local (routed) addresses; PureLB's default is kube-lb0.</summary>
    [JsonPropertyName("extlbint")]
    public string? ExternalInterface { get; set; }

    /// <summary>Send gratuitous ARP when a local address is added.</summary>
    [JsonPropertyName("sendgarp")]
    public bool? SendGratuitousArp { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
