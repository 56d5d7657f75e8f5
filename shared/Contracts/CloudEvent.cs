using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Beacon.Contracts;

/// <summary>
/// A decoded CloudEvents 1.0 envelope. <see cref="Data"/> is the raw JSON of the <c>data</c> member, read with
/// <see cref="TryGetData{T}"/> (straight from bytes: no intermediate document).
/// </summary>
public sealed record CloudEvent(
    string SpecVersion,
    string Id,
    string Source,
    string Type,
    DateTimeOffset? Time,
    string? Subject,
    string? DataContentType,
    ReadOnlyMemory<byte> Data)
{
    public bool Is<T>(EventType<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return string.Equals(Type, type.WireName, StringComparison.Ordinal);
    }

    public bool TryGetData<T>(EventType<T> type, [NotNullWhen(true)] out T? data, [NotNullWhen(false)] out DecodeError? error)
    {
        ArgumentNullException.ThrowIfNull(type);
        data = default;
        error = CloudEventCodec.CheckType(Type, type);
        if (error is not null)
        {
            return false;
        }

        try
        {
            data = JsonSerializer.Deserialize(Data.Span, type.TypeInfo);
        }
        catch (JsonException ex)
        {
            error = new DecodeError(DecodeErrorKind.InvalidData, $"{type.WireName} data: {ex.Message}");
            return false;
        }

        if (data is null)
        {
            error = new DecodeError(DecodeErrorKind.InvalidData, $"{type.WireName} has no data");
            return false;
        }

        return true;
    }
}
