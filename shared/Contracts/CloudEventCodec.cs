using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Beacon.Contracts;

/// <summary>
/// Writes and reads Beacon's CloudEvents 1.0 structured-mode JSON envelopes. Reading never throws: a message that is
/// too large, malformed, of another spec or major version, or of an unexpected type comes back as a <see cref="DecodeError"/>.
/// </summary>
public static class CloudEventCodec
{
    /// <summary>Default size limit for one message (1 MiB, the nats-server default max_payload).</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    public const string SpecVersion = "1.0";
    public const string JsonContentType = "application/json";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static byte[] Encode<T>(EventType<T> type, T data, string source, string? subject = null, DateTimeOffset? time = null, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", SpecVersion);
            writer.WriteString("id", id ?? Guid.NewGuid().ToString("N"));
            writer.WriteString("source", source);
            writer.WriteString("type", type.WireName);
            if (subject is not null)
            {
                writer.WriteString("subject", subject);
            }

            writer.WriteString("time", (time ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("datacontenttype", JsonContentType);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, type.TypeInfo);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the envelope in one pass; its data stays raw JSON until <see cref="CloudEvent.TryGetData{T}"/>.</summary>
    public static DecodeResult<CloudEvent> Decode(ReadOnlySpan<byte> payload, int maxBytes = DefaultMaxBytes)
    {
        if (payload.Length > maxBytes)
        {
            return new DecodeError(DecodeErrorKind.TooLarge, $"{payload.Length} bytes exceeds the limit of {maxBytes}");
        }

        string? specVersion = null, id = null, source = null, type = null, subject = null, contentType = null;
        var timeSeen = false;
        DateTimeOffset? time = null;
        byte[]? data = null;
        try
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new DecodeError(DecodeErrorKind.MalformedJson, "the envelope is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var attribute = Attribute(ref reader);
                reader.Read();
                switch (attribute)
                {
                    case EnvelopeAttribute.Data:
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        data = payload[start..(int)reader.BytesConsumed].ToArray();
                        break;
                    case EnvelopeAttribute.Time:
                        timeSeen = true;
                        time = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var parsed) ? parsed : null;
                        reader.Skip();
                        break;
                    case EnvelopeAttribute.Other:
                        reader.Skip();
                        break;
                    default:
                        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        reader.Skip();
                        switch (attribute)
                        {
                            case EnvelopeAttribute.SpecVersion: specVersion = text; break;
                            case EnvelopeAttribute.Id: id = text; break;
                            case EnvelopeAttribute.Source: source = text; break;
                            case EnvelopeAttribute.Type: type = text; break;
                            case EnvelopeAttribute.Subject: subject = text; break;
                            default: contentType = text; break;
                        }

                        break;
                }
            }

            if (reader.Read())
            {
                return new DecodeError(DecodeErrorKind.MalformedJson, "content after the envelope");
            }
        }
        catch (JsonException ex)
        {
            return new DecodeError(DecodeErrorKind.MalformedJson, ex.Message);
        }

        if (specVersion is null || id is null || source is null || type is null)
        {
            return new DecodeError(DecodeErrorKind.MissingAttribute, "specversion, id, source and type are required strings");
        }

        if (!specVersion.StartsWith("1.", StringComparison.Ordinal) && specVersion != "1")
        {
            return new DecodeError(DecodeErrorKind.UnsupportedSpecVersion, $"CloudEvents specversion '{Truncate(specVersion)}' is not 1.x");
        }

        if (timeSeen && time is null)
        {
            return new DecodeError(DecodeErrorKind.InvalidData, "time is not an RFC 3339 timestamp");
        }

        if (data is null)
        {
            return new DecodeError(DecodeErrorKind.MissingAttribute, "data is required");
        }

        return new CloudEvent(specVersion, id, source, type, time, subject, contentType, data);
    }

    /// <summary>Reads the envelope and its data as <paramref name="type"/>.</summary>
    public static DecodeResult<T> Decode<T>(ReadOnlySpan<byte> payload, EventType<T> type, int maxBytes = DefaultMaxBytes)
    {
        var envelope = Decode(payload, maxBytes);
        if (envelope.Error is not null)
        {
            return envelope.Error;
        }

        return envelope.Value!.TryGetData(type, out var data, out var error) ? new DecodeResult<T>(data) : error;
    }

    /// <summary>Null when <paramref name="wireType"/> is <paramref name="expected"/>; otherwise why not.</summary>
    public static DecodeError? CheckType<T>(string wireType, EventType<T> expected)
    {
        ArgumentNullException.ThrowIfNull(wireType);
        ArgumentNullException.ThrowIfNull(expected);
        if (string.Equals(wireType, expected.WireName, StringComparison.Ordinal))
        {
            return null;
        }

        if (TrySplitVersion(wireType, out var name, out var major) && string.Equals(name, expected.Name, StringComparison.Ordinal))
        {
            return new DecodeError(
                DecodeErrorKind.UnknownMajorVersion,
                string.Create(CultureInfo.InvariantCulture, $"{expected.Name} major version {major} is not supported (this build reads v{expected.Major})"));
        }

        return new DecodeError(DecodeErrorKind.UnexpectedType, $"type '{Truncate(wireType)}' where {expected.WireName} was expected");
    }

    /// <summary>Splits <c>io.beacon.x.v2</c> into its name and major version.</summary>
    public static bool TrySplitVersion(string wireType, out string name, out int major)
    {
        ArgumentNullException.ThrowIfNull(wireType);
        name = wireType;
        major = 0;
        var dot = wireType.LastIndexOf(".v", StringComparison.Ordinal);
        if (dot <= 0 || !int.TryParse(wireType.AsSpan(dot + 2), NumberStyles.None, CultureInfo.InvariantCulture, out major))
        {
            return false;
        }

        name = wireType[..dot];
        return true;
    }

    private static EnvelopeAttribute Attribute(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("data"u8) ? EnvelopeAttribute.Data
        : reader.ValueTextEquals("type"u8) ? EnvelopeAttribute.Type
        : reader.ValueTextEquals("specversion"u8) ? EnvelopeAttribute.SpecVersion
        : reader.ValueTextEquals("id"u8) ? EnvelopeAttribute.Id
        : reader.ValueTextEquals("source"u8) ? EnvelopeAttribute.Source
        : reader.ValueTextEquals("subject"u8) ? EnvelopeAttribute.Subject
        : reader.ValueTextEquals("time"u8) ? EnvelopeAttribute.Time
        : reader.ValueTextEquals("datacontenttype"u8) ? EnvelopeAttribute.DataContentType
        : EnvelopeAttribute.Other;

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
