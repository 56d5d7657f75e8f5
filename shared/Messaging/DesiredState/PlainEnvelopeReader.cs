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

        try
        {
            return TryReadCore(payload, out envelope);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlyMemory<byte> payload, out CloudEvent? envelope)
    {
        envelope = null;
        var reader = new Utf8JsonReader(payload.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? specVersion = null, id = null, source = null, type = null, subject = null, contentType = null;
        DateTimeOffset? time = null;
        ReadOnlyMemory<byte>? data = null;
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
                if (data is not null || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    return false;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = payload[start..((int)reader.BytesConsumed)];
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
                specVersion = reader.ValueTextEquals(CloudEventCodec.SpecVersion) ? CloudEventCodec.SpecVersion : reader.GetString();
            }
            else if (name.SequenceEqual("id"u8) && id is null)
            {
                id = reader.GetString();
            }
            else if (name.SequenceEqual("source"u8) && source is null)
            {
                source = reader.ValueTextEquals(EventSources.Allocator) ? EventSources.Allocator : reader.GetString();
            }
            else if (name.SequenceEqual("type"u8) && type is null)
            {
                type = Known(ref reader, EventTypes.AllocationChanged.WireName, EventTypes.AllocationReleased.WireName);
            }
            else if (name.SequenceEqual("subject"u8) && subject is null)
            {
                subject = reader.GetString();
            }
            else if (name.SequenceEqual("datacontenttype"u8) && contentType is null)
            {
                contentType = reader.ValueTextEquals(CloudEventCodec.JsonContentType) ? CloudEventCodec.JsonContentType : reader.GetString();
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
            || specVersion != CloudEventCodec.SpecVersion || string.IsNullOrEmpty(id) || string.IsNullOrEmpty(source)
            || string.IsNullOrEmpty(type) || data is null
            || (!ReferenceEquals(source, EventSources.Allocator) && !Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _)) || (contentType is not null && contentType != CloudEventCodec.JsonContentType))
        {
            return false;
        }

        envelope = new CloudEvent(specVersion, id, source, type, time, subject, contentType, data.Value);
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
