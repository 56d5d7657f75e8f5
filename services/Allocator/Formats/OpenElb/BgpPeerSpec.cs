using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// <c>network.kubesphere.io/v1alpha2</c> BgpPeer <c>spec</c> (GoBGP's peer in JSON). The parts Beacon uses are typed;
/// the rest (afiSafis, graceful restart) is kept as written and reported as not honoured.
/// </summary>
internal sealed record BgpPeerSpec
{
    [JsonPropertyName("conf")]
    public BgpPeerConf? Conf { get; init; }

    [JsonPropertyName("ebgpMultihop")]
    public BgpPeerMultihop? EbgpMultihop { get; init; }

    [JsonPropertyName("timers")]
    public BgpPeerTimers? Timers { get; init; }

    [JsonPropertyName("transport")]
    public BgpPeerTransport? Transport { get; init; }

    [JsonPropertyName("gracefulRestart")]
    public JsonObject? GracefulRestart { get; init; }

    [JsonPropertyName("afiSafis")]
    public JsonArray? AfiSafis { get; init; }

    [JsonPropertyName("nodeSelector")]
    public LabelSelectorDocument? NodeSelector { get; init; }
}

/// <summary><c>spec.conf</c>.</summary>
internal sealed record BgpPeerConf
{
    [JsonPropertyName("authPassword")]
    public string? AuthPassword { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("localAs")]
    public long? LocalAs { get; init; }

    [JsonPropertyName("neighborAddress")]
    public string? NeighborAddress { get; init; }

    [JsonPropertyName("peerAs")]
    public long? PeerAs { get; init; }

    [JsonPropertyName("neighborInterface")]
    public string? NeighborInterface { get; init; }

    [JsonPropertyName("vrf")]
    public string? Vrf { get; init; }

    [JsonPropertyName("adminDown")]
    public bool? AdminDown { get; init; }
}

/// <summary><c>spec.ebgpMultihop</c>.</summary>
internal sealed record BgpPeerMultihop
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("multihopTtl")]
    public long? MultihopTtl { get; init; }
}

/// <summary><c>spec.timers</c> (values are seconds, GoBGP writes them as strings or numbers).</summary>
internal sealed record BgpPeerTimers
{
    [JsonPropertyName("config")]
    public BgpPeerTimersConfig? Config { get; init; }
}

/// <summary><c>spec.timers.config</c>.</summary>
internal sealed record BgpPeerTimersConfig
{
    [JsonPropertyName("holdTime")]
    public JsonNode? HoldTime { get; init; }

    [JsonPropertyName("keepaliveInterval")]
    public JsonNode? KeepaliveInterval { get; init; }

    [JsonPropertyName("connectRetry")]
    public JsonNode? ConnectRetry { get; init; }
}

/// <summary><c>spec.transport</c>.</summary>
internal sealed record BgpPeerTransport
{
    [JsonPropertyName("remotePort")]
    public long? RemotePort { get; init; }

    [JsonPropertyName("localAddress")]
    public string? LocalAddress { get; init; }

    [JsonPropertyName("passiveMode")]
    public bool? PassiveMode { get; init; }
}
