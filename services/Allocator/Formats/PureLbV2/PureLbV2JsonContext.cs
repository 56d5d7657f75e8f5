using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>Source-generated reading of PureLB v2 objects, strict about types as the API server is.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ServiceGroupV2Spec))]
[JsonSerializable(typeof(LBNodeAgentV2Spec))]
internal sealed partial class PureLbV2JsonContext : JsonSerializerContext;
