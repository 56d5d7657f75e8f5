namespace Beacon.Contracts;

/// <summary>One address given to a Service.</summary>
/// <param name="Address">The IP address in canonical text form (e.g. <c>192.0.2.10</c>, <c>2001:db8::10</c>).</param>
/// <param name="PrefixLength">Prefix length to plumb the address with (the pool subnet's for Local, the host length for Remote).</param>
/// <param name="Pool">Name of the pool (ServiceGroup) range it came from.</param>
/// <param name="PoolSubnet">The pool's subnet in CIDR form.</param>
/// <param name="AggregationPrefixLength">Prefix length routers should aggregate announcements to (Remote only; null: host route).</param>
public sealed record AllocatedAddress(
    string Address,
    int PrefixLength,
    IpFamily Family,
    AddressPlacement Placement,
    string Pool,
    string PoolSubnet,
    int? AggregationPrefixLength);
