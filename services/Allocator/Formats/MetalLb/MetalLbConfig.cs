using Beacon.Contracts;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>Everything MetalLB-shaped that was read (CRs and the legacy ConfigMap together), before translation.</summary>
/// <param name="Communities">Community aliases by name ("no-advertise" → "65535:65282"), with where each was declared.</param>
internal sealed record MetalLbConfig(
    IReadOnlyList<MetalLbPool> Pools,
    IReadOnlyList<MetalLbL2Advertisement> Layer2,
    IReadOnlyList<MetalLbBgpAdvertisement> Bgp,
    IReadOnlyList<MetalLbPeer> Peers,
    IReadOnlyDictionary<string, BfdProfileConfig> BfdProfiles,
    IReadOnlyDictionary<string, string> Communities,
    IReadOnlyList<ForeignProblem> Problems);
