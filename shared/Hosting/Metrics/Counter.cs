namespace Beacon.Hosting.Metrics;

/// <summary>A value that only goes up (events, bytes, seconds). Name it with a "_total" suffix.</summary>
public sealed class Counter : Metric<Counter.Child>
{
    internal Counter(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Counter, labelNames)
    {
    }

    public double Value => Unlabeled.Value;

    public void Inc(double by = 1) => Unlabeled.Inc(by);

    /// <summary>Raises the counter to a total read from elsewhere (e.g. CPU seconds); never lowers it.</summary>
    public void IncTo(double total) => Unlabeled.IncTo(total);

    private protected override Child CreateChild() => new();

    private protected override IEnumerable<MetricSample> Samples(IReadOnlyList<KeyValuePair<string, string>> labels, Child child)
    {
        yield return new MetricSample(Name, labels, child.Value);
    }

    /// <summary>One label combination of a counter.</summary>
    public sealed class Child
    {
        private readonly AtomicDouble _value = new();

        internal Child()
        {
        }

        public double Value => _value.Value;

        public void Inc(double by = 1)
        {
            if (by < 0 || double.IsNaN(by))
                throw new ArgumentOutOfRangeException(nameof(by), by, "A counter can only increase.");
            _value.Add(by);
        }

        public void IncTo(double total) => _value.RaiseTo(total);
    }
}
