using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// The <c>gobgp policy …</c> invocations that make gobgpd's global export policy send each resource peer exactly the
/// routes advertised to it, with that peer's attributes. gobgpd has one global RIB and one global export policy for
/// all neighbours (per-neighbour policies exist only for route-server clients), so the policy has, per peer, one
/// statement per distinct set of attributes (condition: that peer's neighbour set and a prefix set of exactly those
/// prefixes; actions: add the communities and large communities the global path lacks, set local-pref, accept) and a
/// last statement rejecting everything else towards that peer. Neighbours that are not resource peers match no
/// statement and keep gobgpd's default. Every object is named <c>beacon-export-HASH…</c> after the whole content, so a
/// change is a new policy assigned before the old one is removed; everything named <c>beacon-export-</c> that is not
/// the wanted policy is Beacon's leftover and deleted. Pure.
/// </summary>
public sealed record GoBgpExportPlan(IReadOnlyList<IReadOnlyList<string>> Commands, string? Policy)
{
    public const string Prefix = "beacon-export-";

    /// <param name="current">Beacon's objects in gobgpd now.</param>
    /// <param name="peers">The routes of each configured resource peer (its address as gobgpd knows it).</param>
    /// <param name="global">The global RIB's routes (with the node-wide attributes the statements add to).</param>
    public static GoBgpExportPlan Build(GoBgpPolicyState current, IReadOnlyList<(string Address, PeerRoutes Routes)> peers, IReadOnlyList<AnnouncedRoute> global)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(global);
        var onGlobal = global.ToDictionary(r => r.Prefix, r => r.Attributes);
        var specs = new List<(string Neighbor, IReadOnlyList<string> Prefixes, IReadOnlyList<string> Actions)>();
        foreach (var (address, routes) in peers.OrderBy(p => p.Address, StringComparer.Ordinal))
        {
            foreach (var group in routes.Routes
                         .Where(r => r.IsIPv6 == routes.Peer.IsIPv6)
                         .GroupBy(r => string.Join('\n', Actions(r.Attributes, onGlobal.GetValueOrDefault(r.Prefix, BgpAttributes.None))), StringComparer.Ordinal)
                         .OrderBy(g => g.First().Prefix.ToString(), StringComparer.Ordinal))
            {
                specs.Add((address, [.. group.Select(r => r.Prefix.ToString())], group.Key.Length == 0 ? [] : group.Key.Split('\n')));
            }

            specs.Add((address, [], []));
        }

        if (specs.Count == 0)
        {
            return new GoBgpExportPlan(Remove(current, keep: null), null);
        }

        var content = string.Join('\n', specs.Select(s => s.Neighbor + " " + string.Join(',', s.Prefixes) + " " + string.Join(';', s.Actions)));
        var policy = Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 4));
        if (current.Assigned.Contains(policy))
        {
            return new GoBgpExportPlan(Remove(current, keep: policy), policy);
        }

        // Leftovers of an interrupted earlier attempt at this very policy go first: it is created from scratch.
        var commands = new List<IReadOnlyList<string>>(Remove(current with { Assigned = [] }, keep: null, only: policy));
        var neighborSets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var address in specs.Select(s => s.Neighbor).Distinct(StringComparer.Ordinal))
        {
            var set = Invariant($"{policy}-n{neighborSets.Count + 1}");
            neighborSets[address] = set;
            commands.Add(["policy", "neighbor", "add", set, address]);
        }

        var statements = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var (neighbor, prefixes, actions) = specs[i];
            var statement = Invariant($"{policy}-{i + 1}");
            statements.Add(statement);
            commands.AddRange(prefixes.Select(p => (IReadOnlyList<string>)["policy", "prefix", "add", statement, p]));
            commands.Add(["policy", "statement", "add", statement]);
            if (prefixes.Count > 0)
            {
                commands.Add(["policy", "statement", statement, "add", "condition", "prefix", statement]);
            }

            commands.Add(["policy", "statement", statement, "add", "condition", "neighbor", neighborSets[neighbor]]);
            commands.AddRange(actions.Select(a => (IReadOnlyList<string>)["policy", "statement", statement, "add", "action", .. a.Split(' ')]));
            commands.Add(["policy", "statement", statement, "add", "action", prefixes.Count > 0 ? "accept" : "reject"]);
        }

        commands.Add(["policy", "add", policy, .. statements]);
        commands.Add(["global", "policy", "export", "add", policy]);
        commands.AddRange(Remove(current, keep: policy));
        // gobgpd does not re-run the export policy over what it already sent: re-send to the peers it concerns.
        commands.AddRange(specs.Select(s => s.Neighbor).Distinct(StringComparer.Ordinal).Select(a => (IReadOnlyList<string>)["neighbor", a, "softresetout"]));
        return new GoBgpExportPlan(commands, policy);
    }

    /// <summary>Unassign and delete Beacon's objects other than <paramref name="keep"/>'s (or only <paramref name="only"/>'s).</summary>
    private static List<IReadOnlyList<string>> Remove(GoBgpPolicyState current, string? keep, string? only = null)
    {
        bool Stale(string name) => only is null
            ? keep is null || !(name == keep || name.StartsWith(keep + "-", StringComparison.Ordinal))
            : name == only || name.StartsWith(only + "-", StringComparison.Ordinal);
        var commands = new List<IReadOnlyList<string>>();
        commands.AddRange(current.Assigned.Where(Stale).Order(StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)["global", "policy", "export", "del", p]));
        commands.AddRange(current.Policies.Where(Stale).Order(StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)["policy", "del", p]));
        commands.AddRange(current.Statements.Where(Stale).Order(StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)["policy", "statement", "del", s]));
        commands.AddRange(current.PrefixSets.Where(Stale).Order(StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)["policy", "prefix", "del", s]));
        commands.AddRange(current.NeighborSets.Where(Stale).Order(StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)["policy", "neighbor", "del", s]));
        return commands;
    }

    /// <summary>What the statement adds to the global path to make it the peer's: the missing communities, its local-pref.</summary>
    private static List<string> Actions(BgpAttributes peer, BgpAttributes global)
    {
        var actions = new List<string>();
        if (peer.Communities.Except(global.Communities, StringComparer.Ordinal).ToList() is { Count: > 0 } communities)
        {
            actions.Add("community add " + string.Join(',', communities));
        }

        if (peer.LargeCommunities.Except(global.LargeCommunities, StringComparer.Ordinal).ToList() is { Count: > 0 } large)
        {
            actions.Add("large-community add " + string.Join(',', large));
        }

        if (peer.LocalPreference is { } pref && pref != global.LocalPreference)
        {
            actions.Add(Invariant($"local-pref {pref}"));
        }

        return actions;
    }

    /// <summary>The address of a peer as gobgpd prints it.</summary>
    public static string AddressOf(ResourcePeer peer) => IPAddress.Parse((peer ?? throw new ArgumentNullException(nameof(peer))).Config.PeerAddress).ToString();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
