namespace Beacon.Hosting.Metrics;

/// <summary>One exposition line: a sample name (family name plus "_bucket"/"_sum"/"_count" for histograms), labels, value.</summary>
public sealed record MetricSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
