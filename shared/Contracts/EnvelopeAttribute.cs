namespace Beacon.Contracts;

/// <summary>The CloudEvents attributes the codec reads; anything else is skipped.</summary>
internal enum EnvelopeAttribute
{
    Other,
    SpecVersion,
    Id,
    Source,
    Type,
    Subject,
    Time,
    DataContentType,
    Data,
}
