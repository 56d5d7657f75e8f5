using Beacon.Ipam;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// Every resource of a foreign format that is not used, or used only in part, with where it is and why: problems the
/// formats found, plus pools the engine refused (overlap with an older pool of any kind, a name already taken). The
/// input of <see cref="ConfigurationStateBuilder"/>. Pure.
/// </summary>
internal static class RejectedResources
{
    public static IReadOnlyList<RejectedResource> From(FormatTranslation translation, ServiceGroupCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(translation);
        ArgumentNullException.ThrowIfNull(catalog);
        var fromFormats = translation.Problems
            .GroupBy(p => (p.Resource, p.Rejected))
            .Select(g => new RejectedResource(g.Key.Resource, g.First().At, g.Select(p => p.Field.Length == 0 ? p.Message : $"{p.Field}: {p.Message}").ToList(), g.Key.Rejected));
        var fromEngine = translation.Pools
            .Select(p => (Pool: p, Errors: catalog.ErrorsOf(p.Name)))
            .Where(p => p.Errors.Count > 0 && !IsKept(p.Pool, catalog))
            .Select(p => new RejectedResource($"{p.Pool.Kind} {p.Pool.Name}", p.Pool.Origin ?? "api", p.Errors.Select(e => $"{e.Field}: {e.Message}").ToList()));
        return fromFormats.Concat(fromEngine).OrderBy(r => r.At, StringComparer.Ordinal).ThenBy(r => r.Resource, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the group the catalog kept under this name is this pool (and not an older one of the same name).</summary>
    private static bool IsKept(ServiceGroupSpec pool, ServiceGroupCatalog catalog) =>
        catalog.Find(pool.Name) is { } kept && kept.Kind == pool.Kind && kept.CreatedAt == pool.CreatedAt;
}
