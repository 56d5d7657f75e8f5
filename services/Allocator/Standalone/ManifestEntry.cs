using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// One result of reading a manifest document: a problem, or an object to keep. An object with an <see cref="Id"/> may
/// be declared once in the whole directory; <see cref="Name"/> is how a duplicate is named in its problem.
/// </summary>
internal sealed record ManifestEntry(ManifestProblem? Problem, object? Value, string? Id, string? Name, ManifestDocument? Document)
{
    public static ManifestEntry Failed(ManifestProblem problem) => new(problem, null, null, null, null);
}
