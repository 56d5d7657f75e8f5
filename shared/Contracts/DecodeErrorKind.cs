namespace Beacon.Contracts;

/// <summary>Why a message was dropped; also the label of the dropped-message counter.</summary>
public enum DecodeErrorKind
{
    TooLarge,
    MalformedJson,
    MissingAttribute,
    UnsupportedSpecVersion,
    UnknownMajorVersion,
    UnexpectedType,
    InvalidData,

    /// <summary>The payload names a different service/node than the subject it arrived on (forged or misrouted).</summary>
    SubjectMismatch,
}
