namespace Beacon.Allocator.Formats;

/// <summary>
/// One foreign configuration format (MetalLB, OpenELB, …): which objects it reads, and how the set of them becomes
/// the engine's pools plus what announcers need. Pure: no I/O, the same input always gives the same translation.
/// </summary>
internal interface IPoolFormat
{
    /// <summary>Shown in logs and docs ("MetalLB").</summary>
    string Name { get; }

    /// <summary>Whether objects of this apiVersion and kind belong to this format.</summary>
    bool Reads(string apiVersion, string kind);

    /// <summary>
    /// Whether this particular object is meant for this format (false for, say, a ConfigMap that merely shares the
    /// kind): objects not claimed are skipped silently.
    /// </summary>
    bool Claims(ForeignResource resource) => true;

    /// <summary>What the API server would refuse (schema violations), each as a problem rejecting the object.</summary>
    IReadOnlyList<ForeignProblem> Validate(ForeignResource resource);

    /// <summary>
    /// Translates every valid object of this format at once (advertisements refer to pools, so objects are not
    /// independent). Group names must be unique within the result; <see cref="PoolFormats"/> checks them across formats.
    /// </summary>
    FormatTranslation Translate(IReadOnlyList<ForeignResource> resources);
}
