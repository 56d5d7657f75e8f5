namespace Beacon.Ipam;

/// <summary>
/// A Kubernetes label selector: every <c>matchLabels</c> pair and every <c>matchExpressions</c> requirement must hold.
/// An empty selector matches everything, as in Kubernetes.
/// </summary>
public sealed record LabelSelector
{
    public static readonly LabelSelector Everything = new();

    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<LabelSelectorRequirement> MatchExpressions { get; init; } = [];

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var requirement in MatchExpressions)
        {
            var present = labels.TryGetValue(requirement.Key, out var actual);
            var holds = requirement.Operator switch
            {
                "In" => present && requirement.Values.Contains(actual!, StringComparer.Ordinal),
                "NotIn" => !present || !requirement.Values.Contains(actual!, StringComparer.Ordinal),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Problems with this selector, each phrased for the field at <paramref name="path"/>.</summary>
    public IEnumerable<string> Problems(string path)
    {
        foreach (var key in MatchLabels.Keys.Where(k => string.IsNullOrWhiteSpace(k)))
        {
            yield return $"{path}.matchLabels has an empty key";
        }

        for (var i = 0; i < MatchExpressions.Count; i++)
        {
            var requirement = MatchExpressions[i];
            var at = $"{path}.matchExpressions[{i}]";
            if (string.IsNullOrWhiteSpace(requirement.Key))
            {
                yield return $"{at}.key is empty";
            }

            switch (requirement.Operator)
            {
                case "In" or "NotIn" when requirement.Values.Count == 0:
                    yield return $"{at}: operator {requirement.Operator} needs at least one value";
                    break;
                case "Exists" or "DoesNotExist" when requirement.Values.Count > 0:
                    yield return $"{at}: operator {requirement.Operator} takes no values";
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    yield return $"{at}.operator '{requirement.Operator}' is not one of In, NotIn, Exists, DoesNotExist";
                    break;
            }
        }
    }
}
