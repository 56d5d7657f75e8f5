namespace Beacon.NodeAgent.Domain;

/// <summary>What a node does when a peer reports it let go of an address (see <see cref="DefenceSchedule.Released"/>).</summary>
public enum ReleaseOutcome
{
    /// <summary>One gratuitous ARP / unsolicited NA (override) now: clients the peer drew away come back at once.</summary>
    Reannounce,

    /// <summary>The address is not ours: nothing to announce.</summary>
    NotOwned,

    /// <summary>No recent foreign claim for it (or it was already re-announced since the last one): clients are with us.</summary>
    NoConflict,
}
