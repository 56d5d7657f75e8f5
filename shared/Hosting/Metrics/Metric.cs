using System.Collections.Concurrent;

namespace Beacon.Hosting.Metrics;

/// <summary>
/// A metric family with optional labels. Without labels, use the family's own methods; with labels, call
/// <see cref="WithLabels"/> once per label combination (cache the child on hot paths).
/// </summary>
public abstract class Metric<TChild>
    where TChild : class
{
    private readonly ConcurrentDictionary<LabelSet, TChild> _children = new();
    private readonly Lazy<TChild> _unlabeled;

    private protected Metric(string name, string help, MetricType type, IReadOnlyList<string> labelNames)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
        _unlabeled = new Lazy<TChild>(() => _children.GetOrAdd(new LabelSet([]), _ => CreateChild()));
    }

    public string Name { get; }

    public string Help { get; }

    public MetricType Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The child for these label values, in the order the label names were declared.</summary>
    public TChild WithLabels(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != LabelNames.Count)
            throw new ArgumentException($"Metric {Name} has labels [{string.Join(", ", LabelNames)}] but {values.Length} values were given.", nameof(values));
        if (values.Any(v => v is null))
            throw new ArgumentException($"Label values of {Name} must not be null.", nameof(values));
        return _children.GetOrAdd(new LabelSet((string[])values.Clone()), _ => CreateChild());
    }

    /// <summary>Forgets the child for these label values (e.g. a service that no longer exists).</summary>
    public bool RemoveLabels(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return _children.TryRemove(new LabelSet(values), out _);
    }

    private protected TChild Unlabeled => LabelNames.Count == 0
        ? _unlabeled.Value
        : throw new InvalidOperationException($"Metric {Name} has labels [{string.Join(", ", LabelNames)}]; call WithLabels first.");

    private protected abstract TChild CreateChild();

    private protected abstract IEnumerable<MetricSample> Samples(IReadOnlyList<KeyValuePair<string, string>> labels, TChild child);

    internal MetricFamilySnapshot Snapshot()
    {
        // An unlabeled metric is exposed (as zero) from registration on, not only after its first update.
        if (LabelNames.Count == 0)
            _ = _unlabeled.Value;
        var samples = _children
            .OrderBy(c => string.Join('\u0001', c.Key.Values), StringComparer.Ordinal)
            .SelectMany(c => Samples(c.Key.Pair(LabelNames), c.Value))
            .ToList();
        return new MetricFamilySnapshot(Name, Help, Type, samples);
    }
}
