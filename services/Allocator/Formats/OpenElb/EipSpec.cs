using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary><c>network.kubesphere.io/v1alpha2</c> Eip <c>spec</c>, field for field as OpenELB's EipSpec.</summary>
internal sealed record EipSpec
{
    /// <summary>A single address, a CIDR (every address in it, network and broadcast included, as OpenELB counts) or "a-b".</summary>
    [JsonPropertyName("address")]
    public string? Address { get; init; }

    /// <summary><c>bgp</c> (OpenELB's default), <c>layer2</c> or <c>vip</c>.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    [JsonPropertyName("interface")]
    public string? Interface { get; init; }

    [JsonPropertyName("disable")]
    public bool? Disable { get; init; }

    [JsonPropertyName("usingKnownIPs")]
    public bool? UsingKnownIPs { get; init; }

    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    [JsonPropertyName("namespaces")]
    public IReadOnlyList<string>? Namespaces { get; init; }

    /// <summary>OpenELB's selector is a plain label map (matchLabels only).</summary>
    [JsonPropertyName("namespaceSelector")]
    public IReadOnlyDictionary<string, string>? NamespaceSelector { get; init; }
}
