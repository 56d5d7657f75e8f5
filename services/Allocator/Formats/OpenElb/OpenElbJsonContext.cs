using System.Text.Json.Serialization;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>Source-generated (de)serialisation of OpenELB's objects: no reflection, strict about types as the API server is.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EipSpec))]
[JsonSerializable(typeof(EipStatus))]
[JsonSerializable(typeof(Beacon.Allocator.Formats.Status.ReadyCondition))]
[JsonSerializable(typeof(BgpConfSpec))]
[JsonSerializable(typeof(BgpPeerSpec))]
internal sealed partial class OpenElbJsonContext : JsonSerializerContext;
