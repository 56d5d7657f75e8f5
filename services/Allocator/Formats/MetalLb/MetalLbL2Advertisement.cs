using Beacon.Ipam;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>An L2Advertisement: which pools (by name and/or selector; neither means all) are answered for by which nodes.</summary>
internal sealed record MetalLbL2Advertisement(
    MetalLbDeclaration Declared,
    IReadOnlyList<string> Pools,
    IReadOnlyList<LabelSelector> PoolSelectors,
    IReadOnlyList<LabelSelector> NodeSelectors,
    IReadOnlyList<string> Interfaces);
