namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// OpenELB's annotations (pkg/constant in openelb/openelb). The Service ones that choose an address are read as aliases
/// in <see cref="Beacon.Ipam.ServiceAnnotations"/>; the rest are recognised here so they are documented in one place.
/// </summary>
internal static class OpenElbAnnotations
{
    /// <summary>Service: <c>openelb</c> means "OpenELB assigns the address". Beacon manages every LoadBalancer Service of its class anyway.</summary>
    public const string LoadBalancer = "lb.kubesphere.io/v1alpha1";

    public const string LoadBalancerValue = "openelb";

    /// <summary>Service: layer2, bgp or vip. OpenELB itself no longer reads it (the Eip's protocol decides); neither does Beacon.</summary>
    public const string Protocol = "protocol.openelb.kubesphere.io/v1alpha1";

    /// <summary>Service: the Eip to allocate from (an alias of purelb.io/service-group).</summary>
    public const string Eip = "eip.openelb.kubesphere.io/v1alpha2";

    /// <summary>Service: the address wanted (an alias of purelb.io/addresses; OpenELB lets it override spec.loadBalancerIP).</summary>
    public const string EipAddress = "eip.openelb.kubesphere.io/v1alpha1";

    /// <summary>Eip: <c>"true"</c> makes it the pool for Services whose namespace no Eip names.</summary>
    public const string DefaultEip = "eip.openelb.kubesphere.io/is-default-eip";

    public static bool IsDefault(IReadOnlyDictionary<string, string> eipAnnotations)
    {
        ArgumentNullException.ThrowIfNull(eipAnnotations);
        return eipAnnotations.TryGetValue(DefaultEip, out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }
}
