using Beacon.Allocator.Formats.Status;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>What Beacon writes to an Eip's status: OpenELB's fields unchanged, plus a Ready condition (a Beacon extension).</summary>
internal sealed record EipObservedStatus(EipStatus Eip, ReadyCondition Ready);
