using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary><c>network.kubesphere.io/v1alpha2</c> BgpConf <c>spec</c>: the node's own BGP speaker (one per cluster, named "default").</summary>
internal sealed record BgpConfSpec
{
    [JsonPropertyName("as")]
    public long? As { get; init; }

    /// <summary>Rack label value (node label openelb.kubesphere.io/rack) → AS of the nodes in that rack.</summary>
    [JsonPropertyName("asPerRack")]
    public IReadOnlyDictionary<string, long>? AsPerRack { get; init; }

    [JsonPropertyName("routerId")]
    public string? RouterId { get; init; }

    [JsonPropertyName("listenPort")]
    public int? ListenPort { get; init; }

    [JsonPropertyName("listenAddresses")]
    public IReadOnlyList<string>? ListenAddresses { get; init; }

    [JsonPropertyName("families")]
    public IReadOnlyList<long>? Families { get; init; }

    [JsonPropertyName("useMultiplePaths")]
    public bool? UseMultiplePaths { get; init; }

    [JsonPropertyName("gracefulRestart")]
    public System.Text.Json.Nodes.JsonObject? GracefulRestart { get; init; }

    [JsonPropertyName("policy")]
    public string? Policy { get; init; }
}
