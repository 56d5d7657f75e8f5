namespace Beacon.Ipam;

/// <summary>Why a Service did not get (or keep) an address. Stable codes for events and metrics.</summary>
public enum FailureReason
{
    /// <summary>An annotation, <c>spec.loadBalancerIP</c>, port or family setting is malformed or contradictory.</summary>
    InvalidRequest,

    /// <summary>The Service names a ServiceGroup that does not exist.</summary>
    UnknownGroup,

    /// <summary>The Service names a ServiceGroup that exists but was rejected by validation.</summary>
    GroupRejected,

    /// <summary>The named (or address-owning) group's <c>allocation</c> namespaces/selectors do not admit the Service.</summary>
    GroupNotAllowed,

    /// <summary>The Service names no group and no group with <c>autoAssign</c> admits it.</summary>
    NoEligibleGroup,

    /// <summary>No eligible group has a pool of a family the Service needs.</summary>
    FamilyNotAvailable,

    /// <summary>Every eligible pool of the needed family is full.</summary>
    PoolExhausted,

    /// <summary>A requested address lies outside every pool of every valid group.</summary>
    AddressNotInAnyPool,

    /// <summary>A requested address lies in a different group than the one the Service names.</summary>
    AddressNotInRequestedGroup,

    /// <summary>A requested address is excluded (<c>avoidBuggyIPs</c>).</summary>
    AddressNotAllowed,

    /// <summary>A requested address is held by a Service that does not share (no or different sharing key).</summary>
    AddressInUse,

    /// <summary>Same sharing key, but overlapping port/protocol or a different pod selector under <c>externalTrafficPolicy: Local</c>.</summary>
    SharingConflict,

    /// <summary>The assigned address is no longer valid (pool shrank, group deleted…) and renumbering is off.</summary>
    AddressInvalidated,
}
