using System.Text.Json.Serialization;

namespace Beacon.Contracts;

/// <summary>Source-generated JSON for every event payload: camelCase, enums as strings, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(AllocationChanged))]
[JsonSerializable(typeof(AllocationReleased))]
[JsonSerializable(typeof(NodeHeartbeat))]
[JsonSerializable(typeof(Announcement))]
[JsonSerializable(typeof(SnapshotRequest))]
[JsonSerializable(typeof(SnapshotPage))]
[JsonSerializable(typeof(DesiredStateDigest))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
