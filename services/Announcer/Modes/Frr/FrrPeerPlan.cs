using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Beacon.Announcer.Modes.Peers;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// The vtysh commands that take FRR's Beacon-owned neighbours and BFD profiles to the resource peers: a neighbour is
/// tagged with a description holding a hash of its rendered commands, so an unchanged peer is left alone and a changed
/// one is removed and added again (its session restarts). Neighbours without Beacon's description are the operator's
/// and never touched. A peer with a <c>vrf</c> goes into that vrf's own <c>router bgp ASN vrf NAME</c>, as in MetalLB's FRR
/// mode, with networks there for the routes advertised to it (networks are per instance).
/// Networks are per instance in FRR, so each neighbour Beacon adds gets an outbound route-map
/// (<see cref="FrrPeerExport"/>) letting through exactly the routes advertised to that peer, with that peer's
/// attributes; it is bound apart from the neighbour's hashed commands, so a route change never restarts a session.
/// Pure.
/// </summary>
public sealed record FrrPeerPlan(IReadOnlyList<string> Commands, IReadOnlyList<string> Warnings, int Changes)
{
    /// <summary>The peers with no route advertised to them (their sessions exist, they are sent nothing).</summary>
    public static FrrPeerPlan Build(FrrPeerState current, IReadOnlyList<ResourcePeer> desired, long asn, string prefix) =>
        Build(current, [.. (desired ?? throw new ArgumentNullException(nameof(desired))).Select(p => new PeerRoutes(p, []))], asn, prefix);

    public static FrrPeerPlan Build(FrrPeerState current, IReadOnlyList<PeerRoutes> desired, long asn, string prefix)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var warnings = new List<string>();
        var wanted = new SortedDictionary<(string Vrf, string Address), Wanted>();
        foreach (var (peer, routes) in desired.OrderBy(p => p.Peer.Name, StringComparer.Ordinal))
        {
            var address = IPAddress.Parse(peer.Config.PeerAddress).ToString();
            var lines = NeighborLines(address, peer, asn, prefix);
            wanted[(peer.Config.Vrf ?? "", address)] = new Wanted(peer, routes, lines, Hash(lines), FrrPeerExport.For(new PeerRoutes(peer, routes), prefix));
        }

        var profiles = wanted.Values.Where(w => w.Peer.Config.Bfd is not null)
            .Select(w => (Name: ProfileName(w.Peer.Config.Bfd!, prefix), Profile: w.Peer.Config.Bfd!))
            .DistinctBy(p => p.Name)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var commands = new List<string>();
        var newProfiles = profiles.Where(p => !current.BfdProfiles.Contains(p.Name)).ToList();
        if (newProfiles.Count > 0)
        {
            commands.Add("bfd");
            foreach (var (name, profile) in newProfiles)
            {
                commands.Add("profile " + name);
                commands.AddRange(ProfileLines(profile));
                commands.Add("exit");
            }

            commands.Add("exit");
        }

        var exports = wanted.Values.Select(w => w.Export).DistinctBy(e => e.RouteMap).OrderBy(e => e.RouteMap, StringComparer.Ordinal).ToList();
        foreach (var export in exports.Where(e => !current.RouteMaps.Contains(e.RouteMap)))
        {
            commands.AddRange(export.Definition);
        }

        var usedMaps = exports.Select(e => e.RouteMap).ToHashSet(StringComparer.Ordinal);
        var vrfMap = VrfNetworkMap(prefix);
        if (wanted.Keys.Any(k => k.Vrf.Length > 0))
        {
            usedMaps.Add(vrfMap);
            if (!current.RouteMaps.Contains(vrfMap))
            {
                commands.AddRange([$"route-map {vrfMap} permit 10", "exit"]);
            }
        }

        var changes = 0;
        var bgp = NeighborCommands(current.Neighbors, current.Bindings, Of(wanted, ""), prefix, ref changes);
        if (bgp.Count > 0)
        {
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"router bgp {asn}"));
            commands.AddRange(bgp);
            commands.Add("exit");
        }

        foreach (var vrf in wanted.Keys.Select(k => k.Vrf).Where(v => v.Length > 0).Concat(current.Vrfs.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            commands.AddRange(VrfCommands(vrf, current.Vrfs.GetValueOrDefault(vrf), Of(wanted, vrf), asn, prefix, ref changes));
        }

        var usedLists = exports.SelectMany(e => e.PrefixLists.Keys).ToHashSet(StringComparer.Ordinal);
        commands.AddRange(current.RouteMaps.Where(m => !usedMaps.Contains(m)).Order(StringComparer.Ordinal).Select(m => "no route-map " + m));
        commands.AddRange(current.PrefixLists.Where(l => !usedLists.Contains(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"no {l.Value} prefix-list {l.Key}"));

        var used = profiles.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var stale = current.BfdProfiles.Where(p => !used.Contains(p)).ToList();
        if (stale.Count > 0)
        {
            commands.Add("bfd");
            commands.AddRange(stale.Select(p => "no profile " + p));
            commands.Add("exit");
        }

        return new FrrPeerPlan(commands, warnings, changes);
    }

    /// <summary>
    /// The route-map on the networks Beacon adds to a vrf's <c>router bgp</c> (it sets nothing; it marks the network as
    /// Beacon's). The peers' outbound maps decide what each is sent and with which attributes.
    /// </summary>
    public static string VrfNetworkMap(string prefix) => prefix + FrrPeerExport.Infix + "vrf";

    private static SortedDictionary<string, Wanted> Of(SortedDictionary<(string Vrf, string Address), Wanted> wanted, string vrf) =>
        new(wanted.Where(w => w.Key.Vrf == vrf).ToDictionary(w => w.Key.Address, w => w.Value), StringComparer.Ordinal);

    /// <summary>
    /// A vrf's own <c>router bgp ASN vrf NAME</c> (as MetalLB's FRR mode renders it): its peers' neighbour lines and, since
    /// networks are per instance, a network for each route advertised to one of them; removed with its last peer unless
    /// it holds the operator's configuration too.
    /// </summary>
    private static List<string> VrfCommands(string vrf, FrrVrfState? current, SortedDictionary<string, Wanted> wanted, long asn, string prefix, ref int changes)
    {
        var vrfMap = VrfNetworkMap(prefix);
        var header = string.Create(CultureInfo.InvariantCulture, $"router bgp {asn} vrf {vrf}");
        if (wanted.Count == 0 && current is { Foreign: false })
        {
            changes += Math.Max(1, current.Neighbors.Count);
            return ["no " + header];
        }

        var lines = NeighborCommands(current?.Neighbors ?? new Dictionary<string, string>(), current?.Bindings ?? new Dictionary<string, string>(), wanted, prefix, ref changes);
        var have = current?.Networks ?? new Dictionary<string, string>();
        var networks = wanted.Values
            .SelectMany(w => w.Routes.Where(r => r.IsIPv6 == w.Peer.IsIPv6))
            .Select(r => (Prefix: r.Prefix.ToString(), Family: r.IsIPv6 ? "ipv6" : "ipv4"))
            .Distinct()
            .ToDictionary(n => n.Prefix, n => n.Family, StringComparer.Ordinal);
        foreach (var family in new[] { "ipv4", "ipv6" })
        {
            var block = have.Where(n => n.Value == family && !networks.ContainsKey(n.Key)).OrderBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => $"no network {n.Key} route-map {vrfMap}")
                .Concat(networks.Where(n => n.Value == family && !have.ContainsKey(n.Key)).OrderBy(n => n.Key, StringComparer.Ordinal)
                    .Select(n => $"network {n.Key} route-map {vrfMap}"))
                .ToList();
            if (block.Count > 0)
            {
                lines.AddRange([$"address-family {family} unicast", .. block, "exit-address-family"]);
                changes += block.Count;
            }
        }

        // The addresses are in the default VRF's table, not this one's: announce them anyway. Eager to send, as the
        // outbound route-maps are the policy.
        return lines.Count == 0 ? [] : [header, "no bgp ebgp-requires-policy", "no bgp network import-check", .. lines, "exit"];
    }

    private static List<string> NeighborCommands(IReadOnlyDictionary<string, string> neighbors, IReadOnlyDictionary<string, string> bindings,
        SortedDictionary<string, Wanted> wanted, string prefix, ref int changes)
    {
        var bgp = new List<string>();
        foreach (var (address, hash) in neighbors.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (!wanted.TryGetValue(address, out var w) || w.Hash != hash)
            {
                bgp.Add("no neighbor " + address);
                changes += wanted.ContainsKey(address) ? 0 : 1;
            }
        }

        foreach (var (address, w) in wanted)
        {
            if (!neighbors.TryGetValue(address, out var hash) || hash != w.Hash)
            {
                bgp.AddRange(w.Lines);
                bgp.Add($"neighbor {address} description {prefix}-peer {w.Peer.Name} {w.Hash}");
                bgp.Add($"address-family {(w.Peer.IsIPv6 ? "ipv6" : "ipv4")} unicast");
                bgp.Add($"neighbor {address} activate");
                bgp.Add($"neighbor {address} route-map {w.Export.RouteMap} out");
                bgp.Add("exit-address-family");
                changes++;
            }
            else if (!bindings.TryGetValue(address, out var bound) || bound != w.Export.RouteMap)
            {
                // Only the routes sent to it changed: point it at the new map (FRR re-sends), the session stays up.
                bgp.Add($"address-family {(w.Peer.IsIPv6 ? "ipv6" : "ipv4")} unicast");
                bgp.Add($"neighbor {address} route-map {w.Export.RouteMap} out");
                bgp.Add("exit-address-family");
                changes++;
            }
        }

        return bgp;
    }

    /// <summary>FRR's name of a BFD profile: the prefix, <c>-bfd-</c>, the profile's name and a hash of its settings.</summary>
    public static string ProfileName(Contracts.BfdProfileConfig profile, string prefix)
    {
        ArgumentNullException.ThrowIfNull(profile);
        // The hash of its settings is in the name: a changed profile is a new profile, never edited in place.
        return prefix + "-bfd-" + profile.Name + "-" + Hash(ProfileLines(profile));
    }

    private static List<string> NeighborLines(string address, ResourcePeer peer, long asn, string prefix)
    {
        var c = peer.Config;
        var n = "neighbor " + address;
        var lines = new List<string> { Invariant($"{n} remote-as {c.PeerAsn}") };
        if (c.MyAsn != asn)
        {
            lines.Add(Invariant($"{n} local-as {c.MyAsn} no-prepend replace-as"));
        }

        if (c.PeerPort is { } port)
        {
            lines.Add(Invariant($"{n} port {port}"));
        }

        if (c.SourceAddress is { Length: > 0 } source)
        {
            lines.Add($"{n} update-source {source}");
        }

        if (PeerValidation.Seconds(c.HoldTime) is { } hold)
        {
            lines.Add(Invariant($"{n} timers {PeerValidation.Seconds(c.KeepaliveTime) ?? Math.Max(1, hold / 3)} {hold}"));
        }

        if (c.EbgpMultiHop)
        {
            lines.Add(n + " ebgp-multihop");
        }

        if (peer.Password is { } password)
        {
            lines.Add($"{n} password {password}");
        }

        if (c.Bfd is { } bfd)
        {
            lines.Add($"{n} bfd profile {ProfileName(bfd, prefix)}");
        }

        return lines;
    }

    private sealed record Wanted(ResourcePeer Peer, IReadOnlyList<Routing.AnnouncedRoute> Routes, IReadOnlyList<string> Lines, string Hash, FrrPeerExport Export)
;

    private static IEnumerable<string> ProfileLines(Contracts.BfdProfileConfig p)
    {
        if (p.ReceiveInterval is { } rx) yield return Invariant($"receive-interval {rx}");
        if (p.TransmitInterval is { } tx) yield return Invariant($"transmit-interval {tx}");
        if (p.DetectMultiplier is { } m) yield return Invariant($"detect-multiplier {m}");
        if (p.EchoInterval is { } e) yield return Invariant($"echo-interval {e}");
        if (p.EchoMode is true) yield return "echo-mode";
        if (p.PassiveMode is true) yield return "passive-mode";
        if (p.MinimumTtl is { } ttl) yield return Invariant($"minimum-ttl {ttl}");
    }

    private static string Hash(IEnumerable<string> lines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))).AsSpan(0, 4));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
