namespace Beacon.Contracts;

/// <summary>One address pool of a ServiceGroup as the Allocator's IPAM counts it.</summary>
/// <param name="Family">"IPv4" or "IPv6".</param>
public sealed record PoolReport(string Group, string Pool, string Family, long Size, long Used, long Free);
