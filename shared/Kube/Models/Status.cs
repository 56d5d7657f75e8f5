using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Models;

/// <summary>The API's error/outcome object (kind: Status).</summary>
public sealed class Status
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public int? Code { get; set; }

    public JsonElement? Details { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
