using System.Text.Json;

namespace Beacon.Contracts;

/// <summary>
/// Turns the SDK's refusal of a well-formed JSON envelope (one <see cref="ArgumentException"/> for every kind of
/// problem) into the specific <see cref="DecodeErrorKind"/> that Beacon counts and logs. Only runs for rejected
/// messages, so the second look at the JSON costs nothing on the normal path.
/// </summary>
internal static class EnvelopeProblem
{
    public static DecodeError Classify(ReadOnlySpan<byte> payload, string sdkMessage)
    {
        var reader = new Utf8JsonReader(payload);
        if (!JsonDocument.TryParseValue(ref reader, out var document))
        {
            return new DecodeError(DecodeErrorKind.MalformedJson, sdkMessage);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new DecodeError(DecodeErrorKind.MalformedJson, "the envelope is not a JSON object");
            }

            var specVersion = Text(root, "specversion");
            if (specVersion is null || Text(root, "id") is null || Text(root, "source") is null || Text(root, "type") is null)
            {
                return new DecodeError(DecodeErrorKind.MissingAttribute, "specversion, id, source and type are required strings");
            }

            if (!specVersion.StartsWith("1.", StringComparison.Ordinal) && specVersion != "1")
            {
                return new DecodeError(DecodeErrorKind.UnsupportedSpecVersion, $"CloudEvents specversion '{Truncate(specVersion)}' is not 1.x");
            }

            return new DecodeError(DecodeErrorKind.InvalidData, sdkMessage);
        }
    }

    public static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static string? Text(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
