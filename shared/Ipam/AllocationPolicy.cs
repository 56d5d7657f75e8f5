namespace Beacon.Ipam;

/// <summary>Validated allocation preferences of a group: order (<see cref="Priority"/>) and which Services it admits.</summary>
public sealed record AllocationPolicy(
    int? Priority,
    IReadOnlyList<string> Namespaces,
    LabelSelector? NamespaceSelector,
    LabelSelector? ServiceSelector)
{
    public static readonly AllocationPolicy Unrestricted = new(null, [], null, null);

    /// <summary>
    /// Whether the Service may hold an address of this group at all. Applies also to Services that name the group
    /// or ask for a specific address, so <c>namespaces</c> can be used to fence tenants.
    /// </summary>
    public bool Admits(ServiceRequest service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (Namespaces.Count > 0 && !Namespaces.Contains(service.Key.Namespace, StringComparer.Ordinal))
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
