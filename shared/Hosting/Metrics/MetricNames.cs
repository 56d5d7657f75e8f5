namespace Beacon.Hosting.Metrics;

/// <summary>Prometheus naming rules, checked when a metric is registered so a bad name fails at start, not at scrape.</summary>
internal static class MetricNames
{
    public static void RequireMetricName(string name)
    {
        if (string.IsNullOrEmpty(name) || !IsNameStart(name[0], allowColon: true) || !name.All(c => IsNameChar(c, allowColon: true)))
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).", nameof(name));
    }

    public static void RequireLabelNames(IReadOnlyList<string> labelNames, params string[] reserved)
    {
        foreach (var label in labelNames)
        {
            if (string.IsNullOrEmpty(label) || !IsNameStart(label[0], allowColon: false) || !label.All(c => IsNameChar(c, allowColon: false)))
                throw new ArgumentException($"'{label}' is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*).", nameof(labelNames));
            if (label.StartsWith("__", StringComparison.Ordinal) || reserved.Contains(label))
                throw new ArgumentException($"Label name '{label}' is reserved.", nameof(labelNames));
        }
        if (labelNames.Distinct(StringComparer.Ordinal).Count() != labelNames.Count)
            throw new ArgumentException($"Label names must be distinct: {string.Join(", ", labelNames)}.", nameof(labelNames));
    }

    private static bool IsNameStart(char c, bool allowColon) => char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':');

    private static bool IsNameChar(char c, bool allowColon) => IsNameStart(c, allowColon) || char.IsAsciiDigit(c);
}
