namespace Beacon.Contracts;

/// <summary>A message that cannot be used, with a message fit for one log line.</summary>
public sealed record DecodeError(DecodeErrorKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}
