namespace Beacon.Contracts;

/// <summary>
/// One accepted PureLB LBNodeAgent (<c>purelb.io/v1</c> or <c>v2</c>, normalised to one shape) as the node agents apply
/// it. A field is null when the object does not set it: the node agent then keeps its own option (Beacon's defaults
/// differ from PureLB's on purpose, e.g. a 10 s address lifetime so a dead owner's address expires quickly).
/// </summary>
/// <param name="Name">"namespace/name" of the object (the tie-break among several matching a node).</param>
/// <param name="NodeSelector">Nodes it applies to; null (or empty) selects every node and ranks below a specific selector.</param>
/// <param name="HasLocal">Whether it has <c>spec.local</c>; a node uses the first matching object that has one, as PureLB does.</param>
/// <param name="LocalInterface">v2 <c>localInterface</c> / v1 <c>localint</c>: "default" or an interface name.</param>
/// <param name="DummyInterface">v2 <c>dummyInterface</c> / v1 <c>extlbint</c>.</param>
/// <param name="Interfaces">v2 <c>interfaces[]</c>, as written: further interfaces whose subnets the node offers to the election.</param>
/// <param name="GarpEnabled">v2 <c>garpConfig.enabled</c> / v1 <c>sendgarp</c>.</param>
/// <param name="GarpCount">Gratuitous ARP/NA per won address.</param>
/// <param name="GarpIntervalMs">Pause between them, milliseconds.</param>
/// <param name="GarpInitialDelayMs">Wait after plumbing before the first one, milliseconds.</param>
/// <param name="ValidLifetimeSeconds">Valid lifetime of added addresses; 0 is PureLB's "permanent"; absent when unset.</param>
/// <param name="PreferredLifetimeSeconds">Preferred lifetime (not above the valid one); absent when unset (= valid).</param>
public sealed record NodeAgentConfig(
    string Name,
    NodeSelector? NodeSelector,
    bool HasLocal,
    string? LocalInterface,
    string? DummyInterface,
    IReadOnlyList<string> Interfaces,
    bool? GarpEnabled,
    int? GarpCount,
    int? GarpIntervalMs,
    int? GarpInitialDelayMs,
    int? ValidLifetimeSeconds,
    int? PreferredLifetimeSeconds = null);
