using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Kube.Json;

/// <summary>metav1.Time: RFC 3339 in UTC with second precision, e.g. 2024-05-01T10:00:00Z.</summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubeTimeFormat.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(value.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
