using System.Text;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.Peers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>
/// An advertisement's <c>peers</c> in the frr mode: each resource neighbour's outbound route-map lets through exactly
/// the routes advertised to it, with its attributes; a changed list re-points the neighbour without restarting it, and a
/// removed peer takes its route-map and prefix-lists with it.
/// </summary>
public sealed class FrrPeerExportTests
{
    private static readonly FrrPeerState Empty = new(new Dictionary<string, string>(), new HashSet<string>());
    private static readonly ResourcePeer A = new(Peer("a", "198.18.0.1"), null);
    private static readonly ResourcePeer B = new(Peer("b", "198.18.0.2"), null);

    private static AnnouncedAddress Web(string address, params PeerAdvertisement[] to) => Desired.Routed("default/web", address) with { ToPeers = to };

    private static FrrPeerPlan Plan(FrrPeerState current, params AnnouncedAddress[] addresses) =>
        FrrPeerPlan.Build(current, PeerPlanner.Plan(new AnnouncementSet(addresses, [A, B]), includeLocalOwners: false), 65010, "BEACON");

    /// <summary>The commands of the route-map bound to <paramref name="address"/>, with its prefix-lists.</summary>
    private static List<string> ExportOf(FrrPeerPlan plan, string address)
    {
        var map = plan.Commands.Single(c => c.StartsWith($"neighbor {address} route-map ", StringComparison.Ordinal)).Split(' ')[3];
        var commands = plan.Commands.ToList();
        var first = commands.FindIndex(c => c.Contains(map, StringComparison.Ordinal));
        var last = commands.IndexOf($"route-map {map} deny 65535");
        return [.. commands[first..(last + 1)].Where(c => c != "exit").Select(c => c.Replace(map, "MAP", StringComparison.Ordinal))];
    }

    [Fact]
    public void A_route_advertised_to_one_of_two_peers_is_only_in_that_peers_outbound_route_map_with_its_attributes()
    {
        var plan = Plan(Empty,
            Web("198.19.10.5", new PeerAdvertisement("a", new BgpAttributes(["65000:300"], [], 250))),
            Web("198.19.10.6", new PeerAdvertisement("a", BgpAttributes.None), new PeerAdvertisement("b", BgpAttributes.None)),
            Web("198.19.10.7"));

        ExportOf(plan, "198.18.0.1").Should().Equal(
            "ip prefix-list MAP-10 seq 5 permit 198.19.10.5/32",
            "ip prefix-list MAP-20 seq 5 permit 198.19.10.6/32",
            "route-map MAP permit 10", "match ip address prefix-list MAP-10",
            "set community 65000:300", "set large-community none", "set local-preference 250",
            "route-map MAP permit 20", "match ip address prefix-list MAP-20", "set community none", "set large-community none",
            "route-map MAP deny 65535");
        ExportOf(plan, "198.18.0.2").Should().Equal(
            "ip prefix-list MAP-10 seq 5 permit 198.19.10.6/32",
            "route-map MAP permit 10", "match ip address prefix-list MAP-10", "set community none", "set large-community none",
            "route-map MAP deny 65535");
        plan.Commands.Should().NotContain(c => c.Contains("198.19.10.7", StringComparison.Ordinal), "no advertisement names a resource peer for it");
        var bindings = plan.Commands.Where(c => c.Contains(" route-map BEACON-out-", StringComparison.Ordinal) && c.StartsWith("neighbor", StringComparison.Ordinal)).ToList();
        bindings.Should().HaveCount(2).And.OnlyContain(c => c.EndsWith(" out", StringComparison.Ordinal));
        plan.Commands.Should().ContainInOrder(["route-map " + bindings[0].Split(' ')[3] + " deny 65535", bindings[0]], "the map exists before a neighbour uses it");
    }

    [Property]
    public Property Whatever_the_advertisements_each_peers_route_map_permits_exactly_its_routes_with_its_communities()
    {
        var advertisement = Gen.Elements("a", "b").SelectMany(peer => Gen.Elements<string[]>([], ["65000:300"], ["65000:1", "65000:2"])
            .Select(c => new PeerAdvertisement(peer, new BgpAttributes(c, [], null))));
        var address = Gen.Choose(0, 7).SelectMany(last => advertisement.ListOf().Select(to => Web($"198.19.10.{last}", [.. to])));
        return Prop.ForAll(address.ListOf().ToArbitrary(), addresses =>
        {
            var set = new AnnouncementSet([.. addresses], [A, B]);
            foreach (var peer in PeerPlanner.Plan(set, false))
            {
                var export = FrrPeerExport.For(peer, "BEACON");
                foreach (var route in Modes.Routing.RoutePlanner.Plan(set, false))
                {
                    var sent = peer.Routes.SingleOrDefault(r => r.Prefix == route.Prefix);
                    var sets = Evaluate(export.Definition, route.Prefix.ToString());
                    (sets is not null).Should().Be(sent is not null, $"{route.Prefix} to {peer.Peer.Name}");
                    if (sent is not null)
                    {
                        sets.Should().Contain(sent.Attributes.Communities.Count == 0 ? "set community none" : "set community " + string.Join(' ', sent.Attributes.Communities));
                    }
                }
            }
        });
    }

    /// <summary>What FRR does with a prefix through the route-map: the set lines of the first entry matching it, or null (denied).</summary>
    private static List<string>? Evaluate(IReadOnlyList<string> definition, string prefix)
    {
        var lists = definition.Where(l => l.StartsWith("ip prefix-list ", StringComparison.Ordinal)).Select(l => l.Split(' '))
            .ToLookup(w => w[2], w => w[6]);
        for (var i = 0; i < definition.Count; i++)
        {
            if (definition[i].StartsWith("route-map ", StringComparison.Ordinal) && definition[i].Contains(" permit ", StringComparison.Ordinal)
                && lists[definition[i + 1].Split(' ')[4]].Contains(prefix))
            {
                return [.. definition.Skip(i + 2).TakeWhile(l => l != "exit")];
            }
        }

        return null;
    }

    [Fact]
    public void A_peer_sent_nothing_gets_a_deny_all_map_and_two_peers_sent_the_same_share_one()
    {
        var plan = Plan(Empty, Web("198.19.10.7"));

        plan.Commands.Where(c => c.StartsWith("route-map BEACON-out-", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().EndWith(" deny 65535");
        plan.Commands.Should().NotContain(c => c.Contains("prefix-list", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_peers_list_repoints_the_neighbour_without_touching_the_session_and_removes_the_old_map()
    {
        var edge = new BgpAttributes(["65000:300"], [], null);
        var first = Plan(Empty, Web("198.19.10.5", new PeerAdvertisement("a", edge), new PeerAdvertisement("b", BgpAttributes.None)));
        var state = FrrPeerState.Parse(RunningConfigAfter(first.Commands), "BEACON", 65010);
        var oldB = state.Bindings["198.18.0.2"];
        state.Bindings.Should().HaveCount(2);
        state.PrefixLists.Should().ContainKey(oldB + "-10").WhoseValue.Should().Be("ip");
        Plan(state, Web("198.19.10.5", new PeerAdvertisement("a", edge), new PeerAdvertisement("b", BgpAttributes.None)))
            .Commands.Should().BeEmpty("converged");

        var second = Plan(state, Web("198.19.10.5", new PeerAdvertisement("a", edge)));

        second.Commands.Should().NotContain(c => c.StartsWith("no neighbor", StringComparison.Ordinal) || c.Contains("remote-as", StringComparison.Ordinal),
            "only the routes changed: the session stays");
        var newB = ExportOf(second, "198.18.0.2");
        newB.Should().Equal("route-map MAP deny 65535");
        second.Commands.Should().ContainInOrder(
            "router bgp 65010", "address-family ipv4 unicast", second.Commands.Single(c => c.StartsWith("neighbor 198.18.0.2 route-map", StringComparison.Ordinal)),
            "exit-address-family", "exit", "no route-map " + oldB, "no ip prefix-list " + oldB + "-10");
        second.Commands.Should().NotContain(c => c.StartsWith("neighbor 198.18.0.1", StringComparison.Ordinal), "peer a is sent what it was");
        second.Changes.Should().Be(1);
    }

    [Fact]
    public void A_removed_peer_takes_its_neighbour_route_map_and_prefix_lists_with_it()
    {
        var first = Plan(Empty, Web("198.19.10.5", new PeerAdvertisement("b", BgpAttributes.None)));
        var state = FrrPeerState.Parse(RunningConfigAfter(first.Commands), "BEACON", 65010);
        var map = state.Bindings["198.18.0.2"];

        var plan = FrrPeerPlan.Build(state, PeerPlanner.Plan(new AnnouncementSet([Web("198.19.10.5")], [A]), false), 65010, "BEACON");

        plan.Commands.Should().Equal("router bgp 65010", "no neighbor 198.18.0.2", "exit", "no route-map " + map, "no ip prefix-list " + map + "-10");
    }

    [Fact]
    public void Outbound_maps_are_not_mistaken_for_network_route_maps()
    {
        const string running = """
            ip prefix-list BEACON-out-0a1b2c3d-10 seq 5 permit 198.19.10.5/32
            route-map BEACON-out-0a1b2c3d permit 10
             match ip address prefix-list BEACON-out-0a1b2c3d-10
            exit
            route-map BEACON-1a2b3c4d permit 10
            exit
            """;

        FrrRunningConfig.Parse(running, "BEACON", null).RouteMaps.Should().Equal("BEACON-1a2b3c4d");
        FrrPeerState.Parse(running, "BEACON", null).RouteMaps.Should().Equal("BEACON-out-0a1b2c3d");
    }

    /// <summary>FRR's running configuration after the (additions-only) commands, indented as FRR shows it.</summary>
    private static string RunningConfigAfter(IEnumerable<string> commands)
    {
        var text = new StringBuilder();
        var depth = 0;
        foreach (var command in commands)
        {
            if (command is "exit" or "exit-address-family")
            {
                depth--;
                continue;
            }

            text.Append(' ', depth).Append(command).Append('\n');
            if (command.StartsWith("router ", StringComparison.Ordinal) || command.StartsWith("route-map ", StringComparison.Ordinal)
                || command.StartsWith("address-family ", StringComparison.Ordinal) || command == "bfd" || command.StartsWith("profile ", StringComparison.Ordinal))
            {
                depth++;
            }
        }

        return text.ToString();
    }
}
