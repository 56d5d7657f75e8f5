namespace Beacon.Ipam;

/// <summary>
/// One <c>v4pool</c>/<c>v6pool</c> (or <c>v4pools[]</c>/<c>v6pools[]</c> entry) exactly as written in the ServiceGroup.
/// <c>Pool</c> is a range <c>a-b</c>, a CIDR, a single address, or several of those separated by commas.
/// <c>Aggregation</c> is <c>default</c> (the subnet's prefix length) or <c>/NN</c>.
/// </summary>
public sealed record PoolSpec(string? Subnet, string? Pool, string? Aggregation = null);
