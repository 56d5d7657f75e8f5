namespace Beacon.Ipam;

/// <summary>
/// The parsed annotations: requested group, requested addresses (at most one per family), sharing key, and PureLB v2's
/// per-Service <c>purelb.io/multi-pool</c> override (null when absent: the group's <c>multiPool</c> decides).
/// </summary>
public sealed record ServiceAnnotationValues(string? ServiceGroup, IReadOnlyList<NumericAddress> Addresses, string? SharingKey, bool? MultiPool = null);
