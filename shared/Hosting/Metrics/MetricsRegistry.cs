namespace Beacon.Hosting.Metrics;

/// <summary>
/// The metrics of one process, served at /metrics. Registering the same name again with the same type and labels
/// returns the existing metric, so components may register in their constructors; a clash throws at start.
/// Thread-safe.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly Lock _lock = new();
    private readonly List<object> _families = [];
    private readonly Dictionary<string, object> _byName = new(StringComparer.Ordinal);
    private readonly List<Action> _beforeCollect = [];

    public Counter Counter(string name, string help, params string[] labelNames) =>
        GetOrAdd(name, help, labelNames, () => new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames) =>
        GetOrAdd(name, help, labelNames, () => new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, IReadOnlyList<double>? buckets = null, params string[] labelNames)
    {
        var bounds = buckets ?? Metrics.Histogram.DefaultBuckets;
        Metrics.Histogram.RequireBuckets(name, bounds);
        return GetOrAdd(name, help, labelNames, () => new Histogram(name, help, bounds, labelNames), "le");
    }

    /// <summary>Runs <paramref name="refresh"/> before every scrape, to copy values read from elsewhere into gauges.</summary>
    public void BeforeCollect(Action refresh)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        lock (_lock)
            _beforeCollect.Add(refresh);
    }

    public IReadOnlyList<MetricFamilySnapshot> Collect()
    {
        Action[] refreshes;
        object[] families;
        lock (_lock)
        {
            refreshes = [.. _beforeCollect];
            families = [.. _families];
        }
        foreach (var refresh in refreshes)
            refresh();
        return families.Select(f => f switch
        {
            Counter c => c.Snapshot(),
            Gauge g => g.Snapshot(),
            Histogram h => h.Snapshot(),
            _ => throw new InvalidOperationException($"Unknown metric {f}."),
        }).ToList();
    }

    /// <summary>The whole registry in Prometheus text format 0.0.4.</summary>
    public string ToPrometheusText()
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        PrometheusText.Write(writer, Collect());
        return writer.ToString();
    }

    private T GetOrAdd<T>(string name, string help, string[] labelNames, Func<T> create, params string[] reservedLabels)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(help);
        ArgumentNullException.ThrowIfNull(labelNames);
        MetricNames.RequireMetricName(name);
        MetricNames.RequireLabelNames(labelNames, reservedLabels);
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var existing))
            {
                if (existing is T same && LabelNamesOf(same).SequenceEqual(labelNames))
                    return same;
                throw new InvalidOperationException($"Metric {name} is already registered as a different type or with different labels.");
            }
            var metric = create();
            _byName.Add(name, metric);
            _families.Add(metric);
            return metric;
        }
    }

    private static IReadOnlyList<string> LabelNamesOf(object metric) => metric switch
    {
        Counter c => c.LabelNames,
        Gauge g => g.LabelNames,
        Histogram h => h.LabelNames,
        _ => [],
    };
}
