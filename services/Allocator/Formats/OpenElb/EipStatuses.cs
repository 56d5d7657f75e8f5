using System.Net;
using Beacon.Allocator.Formats.Status;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// The status of every Eip from one engine state: what the format refused, what the engine refused (overlap with an
/// older pool, a name already taken), and the Services holding its addresses. What a writer puts on each Eip. Pure.
/// </summary>
internal static class EipStatuses
{
    public static IReadOnlyDictionary<string, EipObservedStatus> Build(
        IEnumerable<ForeignResource> resources,
        FormatTranslation translation,
        ServiceGroupCatalog catalog,
        IEnumerable<KeyValuePair<ServiceKey, IReadOnlyList<IPAddress>>> assignments,
        Func<string, ReadyCondition?> previous,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(translation);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(previous);
        var held = assignments.ToList();
        var result = new Dictionary<string, EipObservedStatus>(StringComparer.Ordinal);
        foreach (var eip in resources.Where(r => r.Kind == EipTranslator.Kind && r.ApiVersion.StartsWith(OpenElbFormat.Group + "/", StringComparison.Ordinal)))
        {
            var refused = translation.Problems.Where(p => p.Rejected && p.Resource == eip.Id).Select(p => p.Field.Length == 0 ? p.Message : $"{p.Field}: {p.Message}");
            var engineErrors = translation.Pools.Any(p => p.Kind == EipTranslator.Kind && p.Name == eip.Name) ? catalog.ErrorsOf(eip.Name) : [];
            var problems = refused.Concat(engineErrors.Select(e => $"{e.Field}: {e.Message}")).ToList();
            var conflict = engineErrors.Any(e => e.Code is GroupErrorCode.OverlapsOtherGroup or GroupErrorCode.DuplicateName);
            var address = eip.Spec["address"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            result[eip.Name] = EipStatusBuilder.Build(address, problems, conflict, held, previous(eip.Name), now);
        }

        return result;
    }
}
