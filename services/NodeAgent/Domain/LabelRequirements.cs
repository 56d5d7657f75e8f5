namespace Beacon.NodeAgent.Domain;

/// <summary>
/// "key=value" pairs: a node's labels, or an equality-based node selector (every pair must match, as in
/// Kubernetes matchLabels). The agent has no Kubernetes access, so both come from its options.
/// </summary>
public static class LabelRequirements
{
    /// <summary>Parses "a=b" entries; returns false with the offending entry when one has no '=' or an empty key.</summary>
    public static bool TryParse(IEnumerable<string> entries, out IReadOnlyDictionary<string, string> labels, out string? bad)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                labels = parsed;
                bad = entry;
                return false;
            }

            parsed[entry[..eq].Trim()] = entry[(eq + 1)..].Trim();
        }

        labels = parsed;
        bad = null;
        return true;
    }

    /// <summary>Whether <paramref name="labels"/> satisfy every pair of <paramref name="selector"/> (an empty selector selects all).</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        return selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
    }
}
