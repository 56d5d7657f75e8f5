using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// <c>network.kubesphere.io/v1alpha2</c> Eip <c>status</c>, exactly OpenELB's EipStatus (omitempty everywhere, so a
/// false or zero field is absent, as <c>kubectl get eip -o yaml</c> showed it under OpenELB).
/// </summary>
internal sealed record EipStatus
{
    [JsonPropertyName("occupied")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Occupied { get; init; }

    /// <summary>Addresses in use (a shared address counts once).</summary>
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Usage { get; init; }

    [JsonPropertyName("poolSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PoolSize { get; init; }

    /// <summary>Address → "namespace/name", several Services sharing one address joined by ';' (OpenELB's form).</summary>
    [JsonPropertyName("used")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Used { get; init; }

    [JsonPropertyName("firstIP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FirstIP { get; init; }

    [JsonPropertyName("lastIP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastIP { get; init; }

    [JsonPropertyName("ready")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Ready { get; init; }

    [JsonPropertyName("v4")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool V4 { get; init; }
}
