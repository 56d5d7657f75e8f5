using Beacon.Ipam;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// What one Eip means to Beacon: its pool (null when the Eip is rejected), the protocol and interface it is announced
/// with, and every problem (rejections and warnings).
/// </summary>
internal sealed record EipTranslation(
    ServiceGroupSpec? Pool,
    string Protocol,
    string? Interface,
    IReadOnlyList<FieldProblem> Problems);
