namespace Beacon.Ctl.Rendering;

/// <summary>One node as beaconctl nodes shows it.</summary>
/// <param name="LastSeen">How long ago its last heartbeat arrived; null when only announcements name it (no heartbeat heard).</param>
/// <param name="Announces">"namespace/name address" entries, or null when the Allocator did not answer.</param>
public sealed record NodeRow(
    string Node,
    string Interface,
    string Link,
    IReadOnlyList<string> Subnets,
    bool Candidate,
    TimeSpan? LastSeen,
    IReadOnlyList<string>? Announces);
