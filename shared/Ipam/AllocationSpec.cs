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
}
