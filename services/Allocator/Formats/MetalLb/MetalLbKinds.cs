namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>The metallb.io kinds and versions Beacon reads, and the legacy ConfigMap's identity.</summary>
internal static class MetalLbKinds
{
    public const string Group = "metallb.io";
    public const string IPAddressPool = "IPAddressPool";
    public const string L2Advertisement = "L2Advertisement";
    public const string BGPAdvertisement = "BGPAdvertisement";
    public const string BGPPeer = "BGPPeer";
    public const string BFDProfile = "BFDProfile";
    public const string Community = "Community";

    /// <summary>MetalLB ≤ 0.12 read its whole configuration from this ConfigMap's "config" key.</summary>
    public const string LegacyNamespace = "metallb-system";
    public const string LegacyName = "config";

    /// <summary>The CRD (embedded from k8s/base/crds) holding each kind's schema.</summary>
    public static readonly IReadOnlyDictionary<string, string> Definitions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [IPAddressPool] = "ipaddresspools.metallb.io.yaml",
        [L2Advertisement] = "l2advertisements.metallb.io.yaml",
        [BGPAdvertisement] = "bgpadvertisements.metallb.io.yaml",
        [BGPPeer] = "bgppeers.metallb.io.yaml",
        [BFDProfile] = "bfdprofiles.metallb.io.yaml",
        [Community] = "communities.metallb.io.yaml",
    };

    /// <summary>Versions served per kind (BGPPeer has v1beta2 besides v1beta1).</summary>
    public static bool Serves(string apiVersion, string kind) =>
        Definitions.ContainsKey(kind)
        && (apiVersion == $"{Group}/v1beta1" || (apiVersion == $"{Group}/v1beta2" && kind == BGPPeer));
}
