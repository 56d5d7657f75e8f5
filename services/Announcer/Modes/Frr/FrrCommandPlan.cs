using System.Globalization;
using System.Net;
using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// The vtysh commands that take FRR from what it has (<see cref="FrrBeaconState"/>) to the desired routes: add
/// missing networks and route-maps, remove Beacon's stale ones, leave everything else alone. Pure.
/// </summary>
public sealed record FrrCommandPlan(IReadOnlyList<string> Commands, int Changes)
{
    public static FrrCommandPlan Build(FrrBeaconState current, IReadOnlyList<AnnouncedRoute> desired, long asn, string routeMapPrefix)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var wanted = desired.ToDictionary(r => r.Prefix, r => (Route: r, Map: FrrRouteMaps.NameOf(r.Attributes, routeMapPrefix)));
        var commands = new List<string> { "configure terminal" };
        var changes = 0;

        foreach (var (name, attributes) in wanted.Values
                     .Select(w => (w.Map, w.Route.Attributes))
                     .DistinctBy(m => m.Map)
                     .Where(m => !current.RouteMaps.Contains(m.Map))
                     .OrderBy(m => m.Map, StringComparer.Ordinal))
        {
            commands.Add($"route-map {name} permit 10");
            commands.AddRange(FrrRouteMaps.SetStatements(attributes));
            commands.Add("exit");
        }

        var familyCommands = new List<string>();
        foreach (var family in new[] { "ipv4", "ipv6" })
        {
            var block = new List<string>();
            foreach (var (prefix, map) in current.Networks.Where(n => RoutePlanner.FamilyOf(n.Key) == family).OrderBy(n => n.Key.ToString(), StringComparer.Ordinal))
            {
                if (!wanted.TryGetValue(prefix, out var w) || w.Map != map)
                {
                    block.Add($"no network {prefix} route-map {map}");
                    changes += wanted.ContainsKey(prefix) ? 0 : 1;
                }
            }

            foreach (var (prefix, w) in wanted.Where(w => RoutePlanner.FamilyOf(w.Key) == family))
            {
                if (!current.Networks.TryGetValue(prefix, out var map) || map != w.Map)
                {
                    block.Add($"network {prefix} route-map {w.Map}");
                    changes++;
                }
            }

            if (block.Count > 0)
            {
                familyCommands.Add($"address-family {family} unicast");
                familyCommands.AddRange(block);
                familyCommands.Add("exit-address-family");
            }
        }

        if (familyCommands.Count > 0)
        {
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"router bgp {asn}"));
            commands.AddRange(familyCommands);
            commands.Add("exit");
        }

        var used = wanted.Values.Select(w => w.Map).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in current.RouteMaps.Where(m => !used.Contains(m)).Order(StringComparer.Ordinal))
        {
            commands.Add($"no route-map {stale}");
        }

        return commands.Count == 1 ? new FrrCommandPlan([], 0) : new FrrCommandPlan([.. commands, "end"], changes);
    }

    /// <summary>Whether FRR's state already matches the desired routes (used to confirm an apply took).</summary>
    public static bool IsConverged(FrrBeaconState current, IReadOnlyList<AnnouncedRoute> desired, string routeMapPrefix) =>
        Build(current ?? throw new ArgumentNullException(nameof(current)), desired, 0, routeMapPrefix).Commands.Count == 0;
}
