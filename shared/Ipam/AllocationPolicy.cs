namespace Beacon.Ipam;

/// <summary>Validated allocation preferences of a group: order (<see cref="Priority"/>) and which Services it admits.</summary>
public sealed record AllocationPolicy(
    int? Priority,
    IReadOnlyList<string> Namespaces,
    LabelSelector? NamespaceSelector,
    LabelSelector? ServiceSelector)
{
    public static readonly AllocationPolicy Unrestricted = new(null, [], null, null);

    /// <summary>See <see cref="AllocationSpec.NamespaceSelectors"/>: any-of, together with <see cref="Namespaces"/>.</summary>
    public IReadOnlyList<LabelSelector> NamespaceSelectors { get; init; } = [];

    /// <summary>See <see cref="AllocationSpec.ServiceSelectors"/>: any-of.</summary>
    public IReadOnlyList<LabelSelector> ServiceSelectors { get; init; } = [];

    /// <summary>
    /// Whether the Service may hold an address of this group at all. Applies also to Services that name the group
    /// or ask for a specific address, so <c>namespaces</c> can be used to fence tenants.
    /// </summary>
    public bool Admits(ServiceRequest service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var listed = Namespaces.Contains(service.Key.Namespace, StringComparer.Ordinal);
        if (NamespaceSelectors.Count > 0)
        {
            // MetalLB: a listed namespace or one matching any selector.
            if (!listed && !NamespaceSelectors.Any(s => s.Matches(service.NamespaceLabels)))
            {
                return false;
            }
        }
        else if (Namespaces.Count > 0 && !listed)
        {
            return false;
        }

        if (ServiceSelectors.Count > 0 && !ServiceSelectors.Any(s => s.Matches(service.Labels)))
        {
            return false;
        }

        if (NamespaceSelector is not null && !NamespaceSelector.Matches(service.NamespaceLabels))
        {
            return false;
        }

        return ServiceSelector is null || ServiceSelector.Matches(service.Labels);
    }
}
