using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Beacon.Announcer.Modes.Peers;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// The outbound route-map of one resource peer (<c>neighbor ADDR route-map NAME out</c>): one entry per distinct set of
/// attributes among the routes advertised to that peer, each matching a prefix-list of exactly those prefixes and
/// setting the peer's communities, large communities and local-pref (replacing the network's node-wide ones, a superset
/// of which they are), then a final deny: a route no advertisement names for this peer, and anything else of FRR's, is
/// never sent to it. The name is a hash of the content, so a map never changes meaning: a changed export is a new map,
/// the neighbour is pointed at it and the old one removed. Pure.
/// </summary>
/// <param name="RouteMap">The route-map's name, <c>PREFIX-out-HASH</c>.</param>
/// <param name="PrefixLists">The prefix-lists it matches, by name, with FRR's family keyword (<c>ip</c> or <c>ipv6</c>).</param>
/// <param name="Definition">The configuration commands creating the prefix-lists and the route-map.</param>
public sealed record FrrPeerExport(string RouteMap, IReadOnlyDictionary<string, string> PrefixLists, IReadOnlyList<string> Definition)
{
    public const string Infix = "-out-";

    public static FrrPeerExport For(PeerRoutes peer, string prefix)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var family = peer.Peer.IsIPv6 ? "ipv6" : "ip";
        var groups = peer.Routes
            .Where(r => r.IsIPv6 == peer.Peer.IsIPv6)
            .GroupBy(r => string.Join('\n', SetStatements(r.Attributes)), StringComparer.Ordinal)
            .Select(g => (Sets: g.Key.Split('\n'), Prefixes: g.Select(r => r.Prefix.ToString()).ToList()))
            .OrderBy(g => g.Prefixes[0], StringComparer.Ordinal)
            .ToList();
        var content = string.Join('\n', groups.Select(g => family + " " + string.Join(' ', g.Prefixes) + " " + string.Join(';', g.Sets)));
        var name = prefix + Infix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 4));

        var lists = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var definition = new List<string>();
        var maps = new List<string>();
        for (var i = 0; i < groups.Count; i++)
        {
            var sequence = (i + 1) * 10;
            var list = Invariant($"{name}-{sequence}");
            lists[list] = family;
            definition.AddRange(groups[i].Prefixes.Select((p, k) => Invariant($"{family} prefix-list {list} seq {(k + 1) * 5} permit {p}")));
            maps.Add(Invariant($"route-map {name} permit {sequence}"));
            maps.Add($"match {family} address prefix-list {list}");
            maps.AddRange(groups[i].Sets);
            maps.Add("exit");
        }

        // Explicit, so the map exists (and denies everything) for a peer no route is advertised to.
        maps.AddRange([$"route-map {name} deny 65535", "exit"]);
        return new FrrPeerExport(name, lists, [.. definition, .. maps]);
    }

    /// <summary>Whether a route-map or prefix-list name is one of Beacon's outbound ones.</summary>
    public static bool IsExportName(string name, string prefix) =>
        name.StartsWith(prefix + Infix, StringComparison.Ordinal);

    /// <summary>The <c>set</c> lines replacing what the network's route-map set (communities cleared when there are none).</summary>
    private static IReadOnlyList<string> SetStatements(BgpAttributes attributes)
    {
        var lines = new List<string>
        {
            attributes.Communities.Count > 0 ? "set community " + string.Join(' ', attributes.Communities) : "set community none",
            attributes.LargeCommunities.Count > 0 ? "set large-community " + string.Join(' ', attributes.LargeCommunities) : "set large-community none",
        };
        if (attributes.LocalPreference is { } pref)
        {
            lines.Add(Invariant($"set local-preference {pref}"));
        }

        return lines;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
