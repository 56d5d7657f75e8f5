using System.Text.Json.Serialization;

namespace Beacon.Contracts;

/// <summary>
/// Source-generated JSON for every event payload: camelCase, enums as strings, nulls written. Reading requires every
/// constructor parameter without a default value and honours nullability, so a field added later must have a default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(AllocationChanged))]
[JsonSerializable(typeof(AllocationReleased))]
[JsonSerializable(typeof(NodeHeartbeat))]
[JsonSerializable(typeof(Announcement))]
[JsonSerializable(typeof(NodeStatusReport))]
[JsonSerializable(typeof(BgpPeerSet))]
[JsonSerializable(typeof(NodeAgentConfigSet))]
[JsonSerializable(typeof(StatusQueryRequest))]
[JsonSerializable(typeof(StatusQueryReply))]
[JsonSerializable(typeof(ExplainQueryRequest))]
[JsonSerializable(typeof(ExplainQueryReply))]
[JsonSerializable(typeof(FailNodeRequest))]
[JsonSerializable(typeof(FailNodeReply))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
