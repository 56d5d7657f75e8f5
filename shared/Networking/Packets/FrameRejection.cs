namespace Beacon.Networking.Packets;

/// <summary>Why a received frame was not understood. Rejected frames are counted and dropped, never thrown about.</summary>
public enum FrameRejection
{
    None,
    TooShort,
    TooLong,
    UnsupportedEtherType,
    UnsupportedArpFormat,
    UnsupportedArpOperation,
    NotIpv6,
    Ipv6PayloadLengthMismatch,
    NotIcmpv6,
    HopLimitNot255,
    BadChecksum,
    NonZeroCode,
    UnsupportedIcmpv6Type,
    BadOption,
    MulticastTarget,
    UnspecifiedSourceRules,

    /// <summary>The parser failed on it in a way no specific check caught.</summary>
    Unreadable,
}
