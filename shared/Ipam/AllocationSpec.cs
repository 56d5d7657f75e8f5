namespace Beacon.Ipam;

/// <summary>
/// The optional <c>spec.allocation</c> block: which Services may draw from a group when they name none,
/// and in which order groups are tried. Lower <c>priority</c> numbers are tried first (as in MetalLB); groups
/// without a priority come after all groups with one.
/// </summary>
public sealed record AllocationSpec
{
    public int? Priority { get; init; }

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public LabelSelector? NamespaceSelector { get; init; }

    public LabelSelector? ServiceSelector { get; init; }

    /// <summary>
    /// MetalLB's <c>namespaceSelectors</c>: when not empty, a Service's namespace is admitted when <see cref="Namespaces"/>
    /// lists it or any of these selectors matches its labels (either is enough, as in MetalLB).
    /// </summary>
    public IReadOnlyList<LabelSelector> NamespaceSelectors { get; init; } = [];

    /// <summary>MetalLB's <c>serviceSelectors</c>: when not empty, any one of them must match the Service's labels.</summary>
    public IReadOnlyList<LabelSelector> ServiceSelectors { get; init; } = [];
}
