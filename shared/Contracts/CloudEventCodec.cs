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

    /// <summary>Reads the envelope; its data stays JSON until <see cref="CloudEvent.TryGetData{T}"/>.</summary>
    public static DecodeResult<CloudEvent> Decode(ReadOnlySpan<byte> payload, int maxBytes = DefaultMaxBytes)
    {
        if (payload.Length > maxBytes)
        {
            return new DecodeError(DecodeErrorKind.TooLarge, $"{payload.Length} bytes exceeds the limit of {maxBytes}");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return new DecodeError(DecodeErrorKind.MalformedJson, ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new DecodeError(DecodeErrorKind.MalformedJson, "the envelope is not a JSON object");
            }

            var specVersion = StringAttribute(root, "specversion");
            var id = StringAttribute(root, "id");
            var source = StringAttribute(root, "source");
            var type = StringAttribute(root, "type");
            if (specVersion is null || id is null || source is null || type is null)
            {
                return new DecodeError(DecodeErrorKind.MissingAttribute, "specversion, id, source and type are required strings");
            }

            if (!specVersion.StartsWith("1.", StringComparison.Ordinal) && specVersion != "1")
            {
                return new DecodeError(DecodeErrorKind.UnsupportedSpecVersion, $"CloudEvents specversion '{Truncate(specVersion)}' is not 1.x");
            }

            DateTimeOffset? time = null;
            if (root.TryGetProperty("time", out var timeElement))
            {
                if (timeElement.ValueKind != JsonValueKind.String || !timeElement.TryGetDateTimeOffset(out var parsed))
                {
                    return new DecodeError(DecodeErrorKind.InvalidData, "time is not an RFC 3339 timestamp");
                }

                time = parsed;
            }

            if (!root.TryGetProperty("data", out var data))
            {
                return new DecodeError(DecodeErrorKind.MissingAttribute, "data is required");
            }

            return new CloudEvent(
                specVersion,
                id,
                source,
                type,
                time,
                StringAttribute(root, "subject"),
                StringAttribute(root, "datacontenttype"),
                data.Clone());
        }
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

    private static string? StringAttribute(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
