namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>An LBNodeAgent's settings (null when rejected) and every problem (rejections and warnings).</summary>
internal sealed record LBNodeAgentV2Translation(NodeAgentSettings? Settings, IReadOnlyList<FieldProblem> Problems);
