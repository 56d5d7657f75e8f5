using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using SdkCloudEvent = CloudNative.CloudEvents.CloudEvent;

namespace Beacon.Contracts;

/// <summary>
/// Writes and reads Beacon's CloudEvents 1.0 structured-mode JSON envelopes with the CNCF CloudEvents SDK
/// (<see cref="JsonEventFormatter"/>). Reading never throws: a message that is too large, malformed, of another spec or
/// major version, or of an unexpected type comes back as a <see cref="DecodeError"/>.
/// </summary>
public static class CloudEventCodec
{
    /// <summary>Default size limit for one message (1 MiB, the nats-server default max_payload).</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    public const string SpecVersion = "1.0";
    public const string JsonContentType = "application/json";

    // Stateless once built, so one instance serves every thread. Its serializer options resolve only what it is given
    // (a JsonElement), so encoding works where reflection-based serialization is off (NativeAOT, trimmed builds).
    private static readonly JsonEventFormatter Formatter = new(
        new JsonSerializerOptions { TypeInfoResolver = EnvelopeDataJsonContext.Default }, default(JsonDocumentOptions));

    public static byte[] Encode<T>(EventType<T> type, T data, string source, string? subject = null, DateTimeOffset? time = null, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var cloudEvent = new SdkCloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = id ?? Guid.NewGuid().ToString("N"),
            Source = new Uri(source, UriKind.RelativeOrAbsolute),
            Type = type.WireName,
            Subject = subject,
            Time = (time ?? DateTimeOffset.UtcNow).ToUniversalTime(),
            DataContentType = JsonContentType,
            Data = JsonSerializer.SerializeToElement(data, type.TypeInfo),
        };
        return Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
    }

    /// <summary>Reads the envelope; its data stays raw JSON until <see cref="CloudEvent.TryGetData{T}"/>.</summary>
    public static DecodeResult<CloudEvent> Decode(ReadOnlySpan<byte> payload, int maxBytes = DefaultMaxBytes)
    {
        if (payload.Length > maxBytes)
        {
            return new DecodeError(DecodeErrorKind.TooLarge, $"{payload.Length} bytes exceeds the limit of {maxBytes}");
        }

        // The SDK throws InvalidOperationException, not a JsonException, on an attribute that is not UTF-8.
        if (!Utf8.IsValid(payload))
        {
            return new DecodeError(DecodeErrorKind.MalformedJson, "the message is not UTF-8 text");
        }

        SdkCloudEvent decoded;
        try
        {
            decoded = Formatter.DecodeStructuredModeMessage(payload.ToArray(), contentType: null, extensionAttributes: null);
        }
        catch (JsonException ex)
        {
            return new DecodeError(DecodeErrorKind.MalformedJson, ex.Message);
        }
        catch (ArgumentException ex)
        {
            return EnvelopeProblem.Classify(payload, ex.Message);
        }

        // Beacon's data is always JSON; data_base64 or a non-JSON content type means the message is not ours.
        if (decoded.Data is not JsonElement element)
        {
            return new DecodeError(DecodeErrorKind.MissingAttribute, "data is required");
        }

        return new CloudEvent(
            decoded.SpecVersion.VersionId,
            decoded.Id!,
            decoded.Source!.OriginalString,
            decoded.Type!,
            decoded.Time,
            decoded.Subject,
            decoded.DataContentType,
            JsonMarshal.GetRawUtf8Value(element).ToArray());
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

        return new DecodeError(DecodeErrorKind.UnexpectedType, $"type '{EnvelopeProblem.Truncate(wireType)}' where {expected.WireName} was expected");
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
}
