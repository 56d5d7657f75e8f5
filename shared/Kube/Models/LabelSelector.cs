namespace Beacon.Kube.Models;

/// <summary>metav1.LabelSelector: all matchLabels and all matchExpressions must hold. Empty selects everything.</summary>
public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }

    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LabelSelectorRequirement
{
    public string Key { get; set; } = string.Empty;

    /// <summary>In, NotIn, Exists or DoesNotExist.</summary>
    public string Operator { get; set; } = string.Empty;

    public List<string>? Values { get; set; }
}
