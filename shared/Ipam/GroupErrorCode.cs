namespace Beacon.Ipam;

/// <summary>Why a ServiceGroup (or one of its fields) was rejected.</summary>
public enum GroupErrorCode
{
    None,
    InvalidName,
    DuplicateName,
    NoPools,
    MissingSubnet,
    InvalidCidr,
    MissingPool,
    InvalidRange,
    ReversedRange,
    FamilyMismatch,
    RangeOutsideSubnet,
    InvalidAggregation,
    OverlappingPools,
    OverlapsOtherGroup,
    InvalidSelector,
    InvalidNamespace,

    /// <summary>Two settings that cannot hold together (PureLB v2's multiPool with balancePools).</summary>
    ContradictoryOptions,
}
