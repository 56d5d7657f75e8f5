namespace Beacon.Contracts;

/// <summary>beaconctl's request on <see cref="Subjects.QueryStatus"/>.</summary>
/// <param name="Namespace">Only Services of this namespace; null for all.</param>
public sealed record StatusQueryRequest(string? Namespace = null);
