using Beacon.Allocator.Reconciling;
using Beacon.Contracts;

namespace Beacon.Allocator.Queries;

/// <summary>Answers <see cref="Subjects.QueryStatus"/> from a view of the Allocator. Pure.</summary>
internal static class StatusReportBuilder
{
    public static StatusQueryReply Build(AllocatorView view, StatusQueryRequest request, string allocator, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(request);
        var services = view.Services
            .Where(s => request.Namespace is null || s.Metadata.Namespace == request.Namespace)
            .Select(s => (Service: s, Facts: ServiceFacts.Of(s, view.Classes)))
            .Where(s => s.Facts.Managed)
            .Select(s => new ServiceReport(
                new ServiceKey(s.Service.Metadata.Namespace ?? "default", s.Service.Metadata.Name ?? string.Empty),
                s.Facts.Group,
                s.Facts.Addresses,
                s.Facts.State,
                s.Facts.Message,
                view.Announcers(s.Service.Key)))
            .OrderBy(s => s.Service)
            .ToList();
        return new StatusQueryReply(allocator, Pools(view), services, now, RejectedGroups(view));
    }

    /// <summary>
    /// Counted by a private IPAM engine restored from what the Services hold, exactly as a new leader would restore it:
    /// the running loop's engine is single-threaded and must not be read from the bus thread.
    /// </summary>
    public static IReadOnlyList<PoolReport> Pools(AllocatorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var engine = new AllocationEngine(view.Classes);
        engine.SetGroups(view.Groups, view.Foreign());
        engine.Restore(view.Services.Select(s => (s, view.NamespaceLabels(s.Metadata.Namespace ?? "default"))));
        return engine.Statistics()
            .Select(p => new PoolReport(p.Group, p.Pool, p.Family.ToString(), Clamp(p.Size), p.Used, Clamp(p.Free)))
            .OrderBy(p => p.Group, StringComparer.Ordinal).ThenBy(p => p.Family, StringComparer.Ordinal).ThenBy(p => p.Pool, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every ServiceGroup the Allocator does not allocate from, with the same reasons its Ready condition shows.</summary>
    public static IReadOnlyList<RejectedGroupReport> RejectedGroups(AllocatorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var engine = new AllocationEngine(view.Classes);
        var foreign = view.Foreign();
        engine.SetGroups(view.Groups, foreign);
        var groups = view.Groups
            .Where(g => g.Metadata is not null && g.Spec is not null)
            .Select(g => new RejectedGroupReport(g.Metadata.Name ?? string.Empty, GroupStatusBuilder.Problems(g, engine.Groups)));

        // Foreign pools the engine refused (overlap, duplicate name, bad range) and foreign resources a format refused,
        // named "Kind namespace/name" with file:line so the operator finds them. The engine's field path (spec.local…)
        // is not what the operator wrote, so only the message (which names the range) is shown.
        var pools = foreign.Pools
            .Select(p => new RejectedGroupReport($"{p.Kind} {p.Name}", engine.Groups.ErrorsOf(p.Name).Select(e => $"{p.Origin}: {e.Message}").ToList()));
        var resources = foreign.Problems
            .Where(p => p.Rejected)
            .GroupBy(p => p.Resource, StringComparer.Ordinal)
            .Select(g => new RejectedGroupReport(g.Key, g.Select(p => p.Field.Length == 0 ? $"{p.At}: {p.Message}" : $"{p.At}: {p.Field}: {p.Message}").ToList()));
        return groups.Concat(pools).Concat(resources)
            .Where(r => r.Reasons.Count > 0)
            .OrderBy(r => r.Group, StringComparer.Ordinal)
            .ToList();
    }

    private static long Clamp(System.Numerics.BigInteger value) => value > long.MaxValue ? long.MaxValue : value < 0 ? 0 : (long)value;
}
