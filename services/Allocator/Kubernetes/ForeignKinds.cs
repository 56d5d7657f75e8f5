using Beacon.Allocator.Formats;
using Beacon.Allocator.Formats.MetalLb;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// The custom resources of foreign formats the Kubernetes source follows: every kind some <see cref="PoolFormats"/>
/// format reads, once each (a CRD serves all its versions from the same objects, so watching two versions would read
/// every object twice). purelb.io ServiceGroups are absent on purpose: v2 ServiceGroups are the v1 objects the
/// ServiceGroup informer already reads; LBNodeAgents (either version, stored as v1) are read here for the node agents. The legacy MetalLB ConfigMap is followed separately (a ConfigMap, by name).
/// </summary>
internal static class ForeignKinds
{
    private const string OpenElbGroup = "network.kubesphere.io";

    public static IReadOnlyList<ForeignKind> All { get; } =
    [
        new(MetalLbKinds.Group, "v1beta1", "ipaddresspools", MetalLbKinds.IPAddressPool),
        new(MetalLbKinds.Group, "v1beta1", "l2advertisements", MetalLbKinds.L2Advertisement),
        new(MetalLbKinds.Group, "v1beta1", "bgpadvertisements", MetalLbKinds.BGPAdvertisement),
        new(MetalLbKinds.Group, "v1beta2", "bgppeers", MetalLbKinds.BGPPeer),
        new(MetalLbKinds.Group, "v1beta1", "bfdprofiles", MetalLbKinds.BFDProfile),
        new(MetalLbKinds.Group, "v1beta1", "communities", MetalLbKinds.Community),
        new(OpenElbGroup, "v1alpha2", "eips", "Eip"),
        new(OpenElbGroup, "v1alpha2", "bgpconfs", "BgpConf"),
        new(OpenElbGroup, "v1alpha2", "bgppeers", "BgpPeer"),
        new("purelb.io", "v1", "lbnodeagents", "LBNodeAgent"),
    ];

    /// <summary>The kinds of <see cref="All"/> that <paramref name="formats"/> reads (all of them for the default registry).</summary>
    public static IReadOnlyList<ForeignKind> ReadBy(PoolFormats formats) =>
        All.Where(k => formats.Reads(k.ApiVersion, k.Kind)).ToList();

    /// <summary>MetalLB ≤ 0.12's ConfigMap, as a kind.</summary>
    public static ForeignKind LegacyConfigMap { get; } = new(string.Empty, "v1", "configmaps", "ConfigMap");
}
