namespace Beacon.Messaging.DesiredState;

public enum ApplyOutcome
{
    /// <summary>The next event in sequence: applied (with any buffered successors).</summary>
    Applied,

    /// <summary>Already reflected in the state: ignored.</summary>
    Duplicate,

    /// <summary>Kept until the snapshot in progress (or the first one) lands.</summary>
    Buffered,

    /// <summary>An event is missing before this one: buffered, and a snapshot is needed.</summary>
    Gap,

    /// <summary>Another Allocator epoch: buffered, and a snapshot is needed.</summary>
    EpochChanged,
}
