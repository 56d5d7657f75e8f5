using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// <c>purelb.io/v2</c> LBNodeAgent <c>spec</c>. Because v1 and v2 share one schema in Beacon's CRD, v1's spellings
/// (<c>localint</c>, <c>extlbint</c>, <c>sendgarp</c>) are read here too.
/// </summary>
internal sealed record LBNodeAgentV2Spec
{
    [JsonPropertyName("nodeSelector")]
    public LabelSelectorDocument? NodeSelector { get; init; }

    [JsonPropertyName("local")]
    public LBNodeAgentV2Local? Local { get; init; }
}

/// <summary><c>spec.local</c>.</summary>
internal sealed record LBNodeAgentV2Local
{
    [JsonPropertyName("localInterface")]
    public string? LocalInterface { get; init; }

    [JsonPropertyName("dummyInterface")]
    public string? DummyInterface { get; init; }

    /// <summary>Further interfaces, by exact name, for election subnet detection and announcement, in order.</summary>
    [JsonPropertyName("interfaces")]
    public IReadOnlyList<string>? Interfaces { get; init; }

    [JsonPropertyName("garpConfig")]
    public LBNodeAgentV2Garp? GarpConfig { get; init; }

    [JsonPropertyName("addressConfig")]
    public LBNodeAgentV2AddressConfig? AddressConfig { get; init; }

    [JsonPropertyName("localint")]
    public string? LocalInt { get; init; }

    [JsonPropertyName("extlbint")]
    public string? ExtLbInt { get; init; }

    [JsonPropertyName("sendgarp")]
    public bool? SendGarp { get; init; }
}

/// <summary><c>spec.local.garpConfig</c>.</summary>
internal sealed record LBNodeAgentV2Garp
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    [JsonPropertyName("initialDelay")]
    public string? InitialDelay { get; init; }

    [JsonPropertyName("count")]
    public int? Count { get; init; }

    [JsonPropertyName("interval")]
    public string? Interval { get; init; }

    [JsonPropertyName("verifyBeforeSend")]
    public bool? VerifyBeforeSend { get; init; }
}

/// <summary><c>spec.local.addressConfig</c>.</summary>
internal sealed record LBNodeAgentV2AddressConfig
{
    [JsonPropertyName("localInterface")]
    public LBNodeAgentV2AddressLifetimes? LocalInterface { get; init; }

    [JsonPropertyName("dummyInterface")]
    public LBNodeAgentV2AddressLifetimes? DummyInterface { get; init; }
}

/// <summary>Lifetimes (seconds) and flags of the addresses added to one interface.</summary>
internal sealed record LBNodeAgentV2AddressLifetimes
{
    [JsonPropertyName("validLifetime")]
    public int? ValidLifetime { get; init; }

    [JsonPropertyName("preferredLifetime")]
    public int? PreferredLifetime { get; init; }

    [JsonPropertyName("noPrefixRoute")]
    public bool? NoPrefixRoute { get; init; }
}
