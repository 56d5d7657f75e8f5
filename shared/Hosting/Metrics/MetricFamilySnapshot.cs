namespace Beacon.Hosting.Metrics;

/// <summary>A metric family as it is at one scrape: HELP, TYPE and its samples.</summary>
public sealed record MetricFamilySnapshot(string Name, string Help, MetricType Type, IReadOnlyList<MetricSample> Samples);
