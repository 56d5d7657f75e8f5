namespace Beacon.Ipam;

/// <summary>Either the parsed <see cref="Values"/> or every problem found, each naming the annotation.</summary>
public sealed record AnnotationParseResult(ServiceAnnotationValues? Values, IReadOnlyList<string> Errors)
{
    public bool IsValid => Values is not null;
}
