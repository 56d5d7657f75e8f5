namespace Beacon.Hosting.Metrics;

/// <summary>The Prometheus metric types Beacon exposes.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
