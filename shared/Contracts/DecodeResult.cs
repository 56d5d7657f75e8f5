namespace Beacon.Contracts;

/// <summary>Either a decoded value or why it could not be decoded.</summary>
public readonly record struct DecodeResult<T>
{
    public DecodeResult(T value)
    {
        Value = value;
        Error = null;
    }

    public DecodeResult(DecodeError error)
    {
        Value = default;
        Error = error;
    }

    public T? Value { get; }

    public DecodeError? Error { get; }

    public bool Succeeded => Error is null;

    public static implicit operator DecodeResult<T>(DecodeError error) => new(error);

    public static implicit operator DecodeResult<T>(T value) => new(value);
}
