namespace Beacon.Ipam;

/// <summary><c>spec.ipFamilyPolicy</c>. Unset in Kubernetes means <see cref="SingleStack"/>.</summary>
public enum IpFamilyPolicy
{
    SingleStack,

    /// <summary>Both families when the chosen group can provide both, otherwise one.</summary>
    PreferDualStack,

    /// <summary>Both families or nothing: never half-allocated.</summary>
    RequireDualStack,
}
