using System.Text.Json.Serialization;

namespace Beacon.Messaging.Nats;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NatsServerInfo))]
[JsonSerializable(typeof(NatsConnectMessage))]
internal sealed partial class NatsJsonContext : JsonSerializerContext;
