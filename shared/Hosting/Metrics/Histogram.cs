namespace Beacon.Hosting.Metrics;

/// <summary>A distribution of observations (latencies in seconds) over fixed cumulative buckets.</summary>
public sealed class Histogram : Metric<Histogram.Child>
{
    /// <summary>Prometheus' default buckets, in seconds.</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _upperBounds;

    internal Histogram(string name, string help, IReadOnlyList<double> buckets, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Histogram, labelNames)
    {
        _upperBounds = buckets.Where(b => !double.IsPositiveInfinity(b)).ToArray();
    }

    public IReadOnlyList<double> Buckets => _upperBounds;

    public void Observe(double value) => Unlabeled.Observe(value);

    internal static void RequireBuckets(string name, IReadOnlyList<double> buckets)
    {
        if (buckets.Any(double.IsNaN))
            throw new ArgumentException($"Histogram {name}: buckets must be numbers.", nameof(buckets));
        for (var i = 1; i < buckets.Count; i++)
        {
            if (buckets[i] <= buckets[i - 1])
                throw new ArgumentException($"Histogram {name}: buckets must be strictly increasing, got {string.Join(", ", buckets)}.", nameof(buckets));
        }
    }

    private protected override Child CreateChild() => new(_upperBounds);

    private protected override IEnumerable<MetricSample> Samples(IReadOnlyList<KeyValuePair<string, string>> labels, Child child)
    {
        var (cumulative, sum, count) = child.Read();
        for (var i = 0; i < _upperBounds.Length; i++)
            yield return new MetricSample(Name + "_bucket", [.. labels, new("le", PrometheusText.FormatValue(_upperBounds[i]))], cumulative[i]);
        yield return new MetricSample(Name + "_bucket", [.. labels, new("le", "+Inf")], count);
        yield return new MetricSample(Name + "_sum", labels, sum);
        yield return new MetricSample(Name + "_count", labels, count);
    }

    /// <summary>One label combination of a histogram.</summary>
    public sealed class Child
    {
        private readonly double[] _upperBounds;
        private readonly long[] _bucketCounts;
        private readonly Lock _lock = new();
        private double _sum;
        private long _count;

        internal Child(double[] upperBounds)
        {
            _upperBounds = upperBounds;
            _bucketCounts = new long[upperBounds.Length];
        }

        public void Observe(double value)
        {
            if (double.IsNaN(value))
                return;
            var index = Array.BinarySearch(_upperBounds, value);
            if (index < 0)
                index = ~index;
            lock (_lock)
            {
                if (index < _bucketCounts.Length)
                    _bucketCounts[index]++;
                _sum += value;
                _count++;
            }
        }

        /// <summary>A consistent view: cumulative bucket counts (le semantics), sum and count.</summary>
        internal (long[] Cumulative, double Sum, long Count) Read()
        {
            lock (_lock)
            {
                var cumulative = new long[_bucketCounts.Length];
                long running = 0;
                for (var i = 0; i < _bucketCounts.Length; i++)
                {
                    running += _bucketCounts[i];
                    cumulative[i] = running;
                }
                return (cumulative, _sum, _count);
            }
        }
    }
}
