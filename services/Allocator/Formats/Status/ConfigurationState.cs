using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// MetalLB's <c>metallb.io/v1beta1</c> ConfigurationState status: Valid/Invalid, a summary naming every rejected
/// resource and why, and one condition per reconciler (Beacon has one: the Allocator's "ConfigurationValid").
/// </summary>
internal sealed record ConfigurationState
{
    public const string Valid = "Valid";
    public const string Invalid = "Invalid";

    [JsonPropertyName("result")]
    public required string Result { get; init; }

    [JsonPropertyName("errorSummary")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorSummary { get; init; }

    [JsonPropertyName("conditions")]
    public required IReadOnlyList<ConfigurationCondition> Conditions { get; init; }
}

/// <summary>metav1.Condition.</summary>
internal sealed record ConfigurationCondition(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("lastTransitionTime")] DateTimeOffset LastTransitionTime);
