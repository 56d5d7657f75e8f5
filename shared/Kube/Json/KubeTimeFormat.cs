using System.Globalization;
using System.Text.Json;

namespace Beacon.Kube.Json;

/// <summary>Lenient RFC 3339 reading shared by the time converters.</summary>
internal static class KubeTimeFormat
{
    public static DateTimeOffset? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 timestamp.");
        }

        return value;
    }
}
