using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// A Kubernetes condition (metav1.Condition) as Beacon writes it on foreign pool kinds: <c>Ready</c>, and when not ready
/// the reason and the complete list of problems, so a rejected resource says why in its own status.
/// </summary>
internal sealed record ReadyCondition
{
    public const string Type = "Ready";

    [JsonPropertyName("type")]
    public string ConditionType { get; init; } = Type;

    /// <summary>"True" or "False".</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>"Valid", "Invalid" or "Conflict" (another resource, older, holds some of its addresses).</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("lastTransitionTime")]
    public required DateTimeOffset LastTransitionTime { get; init; }

    [JsonPropertyName("observedGeneration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ObservedGeneration { get; init; }

    /// <summary>
    /// Ready when <paramref name="problems"/> is empty; otherwise "Conflict" when an overlap with an older resource is among
    /// them, else "Invalid". The transition time moves only when the status flips.
    /// </summary>
    public static ReadyCondition From(IReadOnlyList<string> problems, bool conflict, ReadyCondition? previous, DateTimeOffset now, string readyMessage, long? generation = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var status = problems.Count == 0 ? "True" : "False";
        return new ReadyCondition
        {
            Status = status,
            Reason = problems.Count == 0 ? "Valid" : conflict ? "Conflict" : "Invalid",
            Message = problems.Count == 0 ? readyMessage : string.Join("; ", problems),
            LastTransitionTime = previous?.Status == status ? previous.LastTransitionTime : now,
            ObservedGeneration = generation,
        };
    }
}
