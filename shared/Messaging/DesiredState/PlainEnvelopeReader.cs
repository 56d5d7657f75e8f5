using System.Text.Json;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// Reads the envelopes Beacon itself writes (CloudEvents 1.0 structured JSON with the required attributes, optional
/// time/subject/datacontenttype, and JSON data) in one pass over the bytes, without the SDK's document, Uri and copies:
/// decoding was 9.1 µs per message, the largest cost of delivering 1,000,000 allocations (docs/benchmarks.md, bus).
/// Anything else (extension attributes, data_base64, a duplicate or odd attribute, a time not in UTC "Z" form, bad
/// JSON) is not judged here: the caller hands it to <see cref="CloudEventCodec"/>, so errors are classified exactly as
/// before (a property test compares both paths on damaged envelopes).
/// </summary>
internal static class PlainEnvelopeReader
{
    public static bool TryRead(ReadOnlyMemory<byte> payload, out CloudEvent? envelope)
    {
        envelope = null;
        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            // Not even text: the SDK names the problem (and the data would otherwise fail to transcode later).
            return false;
        }

        return TryReadGuarded(payload, full: true, out envelope, out _, out _);
    }

    /// <summary>
    /// The same checks as <see cref="TryRead"/> on a payload already known to be UTF-8, but only the type and the data
    /// come out: a replica needs nothing else of a change, and the id and subject strings and the envelope object were
    /// a third of what it allocated per live message.
    /// </summary>
    public static bool TryReadTypeAndData(ReadOnlyMemory<byte> utf8Payload, out string? type, out ReadOnlyMemory<byte> data) =>
        TryReadGuarded(utf8Payload, full: false, out _, out type, out data);

    private static bool TryReadGuarded(ReadOnlyMemory<byte> payload, bool full, out CloudEvent? envelope, out string? type, out ReadOnlyMemory<byte> data)
    {
        try
        {
            return TryReadCore(payload, full, out envelope, out type, out data);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            (envelope, type, data) = (null, null, default);
            return false;
        }
    }

    /// <param name="full">False: id and subject are checked but not copied into strings, and no envelope is made.</param>
    private static bool TryReadCore(ReadOnlyMemory<byte> payload, bool full, out CloudEvent? envelope, out string? type, out ReadOnlyMemory<byte> data)
    {
        (envelope, type, data) = (null, null, default);
        var reader = new Utf8JsonReader(payload.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        // Attributes that must be one exact value are not copied: anything else fails below whatever it says.
        const string Other = "";
        string? specVersion = null, id = null, source = null, subject = null, contentType = null;
        bool hasId = false, idEmpty = true, hasSubject = false;
        DateTimeOffset? time = null;
        ReadOnlyMemory<byte>? body = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return false;
            }

            var name = reader.ValueSpan;
            if (!reader.Read())
            {
                return false;
            }

            if (name.SequenceEqual("data"u8))
            {
                if (body is not null || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    return false;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                body = payload[start..((int)reader.BytesConsumed)];
                continue;
            }

            // Beacon writes its attributes as printable ASCII; anything else (escapes, control or non-ASCII characters,
            // which the SDK validates) goes the SDK's way.
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !IsPrintableAscii(reader.ValueSpan))
            {
                return false;
            }

            if (name.SequenceEqual("specversion"u8) && specVersion is null)
            {
                specVersion = reader.ValueTextEquals(CloudEventCodec.SpecVersion) ? CloudEventCodec.SpecVersion : Other;
            }
            else if (name.SequenceEqual("id"u8) && !hasId)
            {
                hasId = true;
                idEmpty = reader.ValueSpan.IsEmpty;
                id = full ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("source"u8) && source is null)
            {
                source = reader.ValueTextEquals(EventSources.Allocator) ? EventSources.Allocator : reader.GetString();
            }
            else if (name.SequenceEqual("type"u8) && type is null)
            {
                type = Known(ref reader, EventTypes.AllocationChanged.WireName, EventTypes.AllocationReleased.WireName);
            }
            else if (name.SequenceEqual("subject"u8) && !hasSubject)
            {
                hasSubject = true;
                subject = full ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("datacontenttype"u8) && contentType is null)
            {
                contentType = reader.ValueTextEquals(CloudEventCodec.JsonContentType) ? CloudEventCodec.JsonContentType : Other;
            }
            else if (name.SequenceEqual("time"u8) && time is null && reader.ValueSpan is [.., (byte)'Z']
                && reader.TryGetDateTimeOffset(out var at))
            {
                time = at;
            }
            else
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != payload.Length
            || specVersion != CloudEventCodec.SpecVersion || idEmpty || string.IsNullOrEmpty(source)
            || string.IsNullOrEmpty(type) || body is null
            || (!ReferenceEquals(source, EventSources.Allocator) && !Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _))
            || (contentType is not null && contentType != CloudEventCodec.JsonContentType))
        {
            type = null;
            return false;
        }

        data = body.Value;
        envelope = full ? new CloudEvent(specVersion, id!, source, type, time, subject, contentType, data) : null;
        return true;
    }

    /// <summary>The attribute's value as one of Beacon's own strings when it is one (no copy per message), else a new string.</summary>
    private static string? Known(ref Utf8JsonReader reader, string first, string second) =>
        reader.ValueTextEquals(first) ? first : reader.ValueTextEquals(second) ? second : reader.GetString();

    private static bool IsPrintableAscii(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
