using Beacon.Ipam;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>A v2 ServiceGroup as an engine pool (null when rejected) and every problem (rejections and warnings).</summary>
internal sealed record ServiceGroupV2Translation(ServiceGroupSpec? Pool, IReadOnlyList<FieldProblem> Problems);
