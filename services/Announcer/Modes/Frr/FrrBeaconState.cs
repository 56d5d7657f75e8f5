using System.Net;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>What FRR's running configuration holds of Beacon's: its networks (with their route-maps) and route-maps.</summary>
/// <param name="BgpAsns">AS numbers of the default-VRF <c>router bgp</c> instances.</param>
/// <param name="Networks">Networks Beacon added (recognised by route-map prefix), by prefix, with the route-map named.</param>
public sealed record FrrBeaconState(
    IReadOnlyList<long> BgpAsns,
    IReadOnlyDictionary<IPNetwork, string> Networks,
    IReadOnlySet<string> RouteMaps);
