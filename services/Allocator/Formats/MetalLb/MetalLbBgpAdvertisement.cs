using Beacon.Ipam;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>A BGPAdvertisement (or a legacy pool's bgp-advertisements entry, whose pool is implied).</summary>
internal sealed record MetalLbBgpAdvertisement(
    MetalLbDeclaration Declared,
    IReadOnlyList<string> Pools,
    IReadOnlyList<LabelSelector> PoolSelectors,
    IReadOnlyList<LabelSelector> NodeSelectors,
    int? AggregationLength,
    int? AggregationLengthV6,
    long? LocalPref,
    IReadOnlyList<string> Communities,
    IReadOnlyList<string> Peers);
