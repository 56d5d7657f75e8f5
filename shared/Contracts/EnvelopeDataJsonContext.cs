using System.Text.Json;
using System.Text.Json.Serialization;

namespace Beacon.Contracts;

/// <summary>
/// The envelope's <c>data</c> as <see cref="CloudEventCodec"/> hands it to the CloudEvents formatter: always a
/// <see cref="JsonElement"/> (the payload already serialized with <see cref="ContractsJsonContext"/>), typed as object.
/// The formatter writes it with <c>JsonSerializer</c>; with this resolver it needs no reflection-based serialization,
/// which trimmed and NativeAOT builds switch off.
/// </summary>
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class EnvelopeDataJsonContext : JsonSerializerContext;
