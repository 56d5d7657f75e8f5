namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>
/// Where one MetalLB object was written: the resource (a CR, or the legacy ConfigMap), the JSON path of the object
/// inside it (".spec" for a CR, ".address-pools[2]" inside the ConfigMap's config), and how problems name it.
/// </summary>
internal sealed record MetalLbDeclaration(ForeignResource Resource, string Path, string What)
{
    public static MetalLbDeclaration Of(ForeignResource resource) => new(resource, ".spec", resource.Id);

    /// <summary>"file:line" of <paramref name="field"/> ("addresses[1]") inside this object (of the object itself when empty).</summary>
    public string At(string field = "") => Resource.At(field.Length > 0 ? $"{Path}.{field}" : Path == ".spec" ? string.Empty : Path);

    public ForeignProblem Problem(string field, string message, bool rejected = true) => new(What, At(field), field, message, rejected);
}
