namespace Beacon.Hosting.Metrics;

/// <summary>The label values of one child of a metric, compared by value.</summary>
internal sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly string[] _values;
    private readonly int _hash;

    public LabelSet(string[] values)
    {
        _values = values;
        var hash = new HashCode();
        foreach (var v in values)
            hash.Add(v, StringComparer.Ordinal);
        _hash = hash.ToHashCode();
    }

    public IReadOnlyList<string> Values => _values;

    public bool Equals(LabelSet? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => _hash;

    public IReadOnlyList<KeyValuePair<string, string>> Pair(IReadOnlyList<string> names) =>
        names.Select((n, i) => new KeyValuePair<string, string>(n, _values[i])).ToArray();
}
