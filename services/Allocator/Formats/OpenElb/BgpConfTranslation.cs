namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// What Beacon takes from OpenELB's BgpConf: the nodes' own AS (peers without <c>conf.localAs</c> use it), router ID and
/// listen port for the routing daemon; null fields when rejected or not given.
/// </summary>
internal sealed record BgpConfTranslation(uint? As, string? RouterId, int? ListenPort, IReadOnlyList<FieldProblem> Problems);
