using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.Status;

/// <summary>Source-generated serialisation of the status objects Beacon writes in MetalLB's shapes.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PoolUsageCounters))]
[JsonSerializable(typeof(ReadyCondition))]
[JsonSerializable(typeof(AnnouncementStatusBody))]
[JsonSerializable(typeof(ConfigurationState))]
[JsonSerializable(typeof(long))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
