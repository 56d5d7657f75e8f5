using Beacon.Ipam;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>An address pool as MetalLB defines it (IPAddressPool, or an entry of the legacy ConfigMap's address-pools).</summary>
/// <param name="Protocol">Legacy ConfigMap only: "layer2" or "bgp" (the pool is then advertised that way); null for CRs.</param>
/// <param name="LegacyBgpAdvertisements">Legacy ConfigMap only: the pool's own bgp-advertisements.</param>
internal sealed record MetalLbPool(
    MetalLbDeclaration Declared,
    string Name,
    DateTimeOffset? CreatedAt,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Addresses,
    bool AutoAssign,
    bool AvoidBuggyIPs,
    AllocationSpec? Allocation,
    string? Protocol = null,
    IReadOnlyList<MetalLbBgpAdvertisement>? LegacyBgpAdvertisements = null);
