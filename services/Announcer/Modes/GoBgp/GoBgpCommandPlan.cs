using System.Globalization;
using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// The <c>gobgp global rib add/del</c> invocations (arguments after the API target) that take gobgpd's locally
/// originated paths to the desired routes: add missing, re-add changed (an add replaces the local path), delete
/// stale. Pure.
/// </summary>
public static class GoBgpCommandPlan
{
    public static IReadOnlyList<IReadOnlyList<string>> Build(IReadOnlyList<GoBgpPath> current, IReadOnlyList<AnnouncedRoute> desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var have = current.GroupBy(p => p.Prefix).ToDictionary(g => g.Key, g => g.Select(p => p.Attributes).ToList());
        var want = desired.Select(r => r.Prefix).ToHashSet();
        var commands = new List<IReadOnlyList<string>>();
        foreach (var prefix in have.Keys.Where(p => !want.Contains(p)).OrderBy(p => p.ToString(), StringComparer.Ordinal))
        {
            commands.Add(["global", "rib", "del", "-a", RoutePlanner.FamilyOf(prefix), prefix.ToString()]);
        }

        foreach (var route in desired)
        {
            var sorted = Sorted(route.Attributes);
            if (!have.TryGetValue(route.Prefix, out var existing) || existing.Count != 1 || !existing[0].Equals(sorted))
            {
                commands.Add(AddCommand(route.Prefix, sorted));
            }
        }

        return commands;
    }

    private static List<string> AddCommand(System.Net.IPNetwork prefix, BgpAttributes attributes)
    {
        var args = new List<string> { "global", "rib", "add", "-a", RoutePlanner.FamilyOf(prefix), prefix.ToString(), "origin", "igp" };
        if (attributes.Communities.Count > 0)
        {
            args.AddRange(["community", string.Join(',', attributes.Communities)]);
        }

        if (attributes.LargeCommunities.Count > 0)
        {
            args.AddRange(["large-community", string.Join(',', attributes.LargeCommunities)]);
        }

        if (attributes.LocalPreference is { } pref)
        {
            args.AddRange(["local-pref", pref.ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    // gobgpd reports communities sorted; compare like with like.
    private static BgpAttributes Sorted(BgpAttributes attributes) =>
        attributes with
        {
            Communities = [.. attributes.Communities.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            LargeCommunities = [.. attributes.LargeCommunities.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
}
