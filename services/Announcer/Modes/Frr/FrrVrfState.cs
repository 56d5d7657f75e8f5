namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// What one <c>router bgp ASN vrf NAME</c> holds of Beacon's: its tagged neighbours (by address, with their hash),
/// their outbound route-map bindings, and the networks carrying Beacon's vrf marker route-map
/// (<see cref="FrrPeerPlan.VrfNetworkMap"/>), by prefix with their family. <paramref name="Foreign"/>: the instance
/// holds something else (the operator's), so Beacon never deletes the instance, only its own lines.
/// </summary>
public sealed record FrrVrfState(
    IReadOnlyDictionary<string, string> Neighbors,
    IReadOnlyDictionary<string, string> Bindings,
    IReadOnlyDictionary<string, string> Networks,
    bool Foreign);
