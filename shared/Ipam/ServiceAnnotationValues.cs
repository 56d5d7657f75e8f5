namespace Beacon.Ipam;

/// <summary>The parsed annotations: requested group, requested addresses (at most one per family) and sharing key.</summary>
public sealed record ServiceAnnotationValues(string? ServiceGroup, IReadOnlyList<NumericAddress> Addresses, string? SharingKey);
