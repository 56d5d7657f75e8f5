namespace Beacon.Hosting.Metrics;

/// <summary>A value that goes up and down (addresses owned, peers alive, queue length).</summary>
public sealed class Gauge : Metric<Gauge.Child>
{
    internal Gauge(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Gauge, labelNames)
    {
    }

    public double Value => Unlabeled.Value;

    public void Set(double value) => Unlabeled.Set(value);

    public void Inc(double by = 1) => Unlabeled.Inc(by);

    public void Dec(double by = 1) => Unlabeled.Dec(by);

    private protected override Child CreateChild() => new();

    private protected override IEnumerable<MetricSample> Samples(IReadOnlyList<KeyValuePair<string, string>> labels, Child child)
    {
        yield return new MetricSample(Name, labels, child.Value);
    }

    /// <summary>One label combination of a gauge.</summary>
    public sealed class Child
    {
        private readonly AtomicDouble _value = new();

        internal Child()
        {
        }

        public double Value => _value.Value;

        public void Set(double value) => _value.Set(value);

        public void Inc(double by = 1) => _value.Add(by);

        public void Dec(double by = 1) => _value.Add(-by);
    }
}
