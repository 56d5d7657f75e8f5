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
    // Beacon's own attribute values as UTF-8, compared with the bytes as they are (the string overloads transcode the
    // expected value on every call).
    private static readonly byte[] SpecVersionUtf8 = System.Text.Encoding.UTF8.GetBytes(CloudEventCodec.SpecVersion);
    private static readonly byte[] AllocatorUtf8 = System.Text.Encoding.UTF8.GetBytes(EventSources.Allocator);
    private static readonly byte[] JsonContentTypeUtf8 = System.Text.Encoding.UTF8.GetBytes(CloudEventCodec.JsonContentType);
    private static readonly byte[] AllocationChangedUtf8 = System.Text.Encoding.UTF8.GetBytes(EventTypes.AllocationChanged.WireName);
    private static readonly byte[] AllocationReleasedUtf8 = System.Text.Encoding.UTF8.GetBytes(EventTypes.AllocationReleased.WireName);

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
    /// a third of what it allocated per live message. When the data comes last (as Beacon writes it), it is not read
    /// here: the caller must read it as exactly one JSON object, and treat the envelope as unread if that fails.
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
                if (!full && reader.TokenType == JsonTokenType.StartObject && TryDataToTheEnd(payload, start, specVersion, hasId, idEmpty, source, type, contentType, out var rest))
                {
                    // Beacon writes data last: everything up to the envelope's closing brace is the data, which the
                    // caller reads (and checks to be one object, nothing after it) anyway. Skipping it here read it twice.
                    data = rest;
                    return true;
                }

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
                specVersion = reader.ValueTextEquals(SpecVersionUtf8) ? CloudEventCodec.SpecVersion : Other;
            }
            else if (name.SequenceEqual("id"u8) && !hasId)
            {
                hasId = true;
                idEmpty = reader.ValueSpan.IsEmpty;
                id = full ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("source"u8) && source is null)
            {
                source = reader.ValueTextEquals(AllocatorUtf8) ? EventSources.Allocator : reader.GetString();
            }
            else if (name.SequenceEqual("type"u8) && type is null)
            {
                type = reader.ValueTextEquals(AllocationChangedUtf8) ? EventTypes.AllocationChanged.WireName
                    : reader.ValueTextEquals(AllocationReleasedUtf8) ? EventTypes.AllocationReleased.WireName
                    : reader.GetString();
            }
            else if (name.SequenceEqual("subject"u8) && !hasSubject)
            {
                hasSubject = true;
                subject = full ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("datacontenttype"u8) && contentType is null)
            {
                contentType = reader.ValueTextEquals(JsonContentTypeUtf8) ? CloudEventCodec.JsonContentType : Other;
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

    /// <summary>
    /// The data as everything from <paramref name="start"/> to the envelope's closing brace, when every attribute was
    /// read before it and is as Beacon writes it (the same checks as after the loop). The caller must read the data as
    /// exactly one JSON object: only then is the envelope what the loop would have found.
    /// </summary>
    private static bool TryDataToTheEnd(ReadOnlyMemory<byte> payload, int start, string? specVersion, bool hasId, bool idEmpty, string? source, string? type, string? contentType, out ReadOnlyMemory<byte> data)
    {
        data = default;
        // The loop would refuse anything after the envelope's closing brace, whitespace included.
        var end = payload.Length - 1;
        if (end <= start || payload.Span[end] != (byte)'}'
            || specVersion != CloudEventCodec.SpecVersion || !hasId || idEmpty || !ReferenceEquals(source, EventSources.Allocator)
            || string.IsNullOrEmpty(type) || (contentType is not null && contentType != CloudEventCodec.JsonContentType))
        {
            return false;
        }

        data = payload[start..end];
        return true;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> value) => value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0;
}
