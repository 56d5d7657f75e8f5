using System.Text.Json.Serialization;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats;

/// <summary>A Kubernetes label selector as written in a foreign resource (metav1.LabelSelector).</summary>
internal sealed record LabelSelectorDocument
{
    [JsonPropertyName("matchLabels")]
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }

    [JsonPropertyName("matchExpressions")]
    public IReadOnlyList<LabelSelectorRequirementDocument>? MatchExpressions { get; init; }

    public LabelSelector ToSelector() => new()
    {
        MatchLabels = MatchLabels ?? new Dictionary<string, string>(),
        MatchExpressions = (MatchExpressions ?? [])
            .Select(e => new LabelSelectorRequirement(e.Key ?? string.Empty, e.Operator ?? string.Empty, e.Values ?? []))
            .ToList(),
    };
}

/// <summary>One <c>matchExpressions</c> entry.</summary>
internal sealed record LabelSelectorRequirementDocument
{
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("operator")]
    public string? Operator { get; init; }

    [JsonPropertyName("values")]
    public IReadOnlyList<string>? Values { get; init; }
}
