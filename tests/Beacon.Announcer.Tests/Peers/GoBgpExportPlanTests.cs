using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>
/// An advertisement's <c>peers</c> in the gobgp mode: the global export policy sends each resource neighbour exactly the
/// routes advertised to it with its attributes and rejects the rest towards it; a change is a new policy swapped in, and
/// Beacon's objects go when no peer is left.
/// </summary>
public sealed class GoBgpExportPlanTests
{
    private static readonly ResourcePeer A = new(Peer("a", "198.18.0.1"), null);
    private static readonly ResourcePeer B = new(Peer("b", "198.18.0.2"), null);
    private static readonly BgpAttributes NodeWide = new(["65000:1"], [], null);

    private static AnnouncedAddress Web(string address, params PeerAdvertisement[] to) =>
        Desired.Routed("default/web", address, attributes: NodeWide) with { ToPeers = to };

    private static GoBgpExportPlan Plan(GoBgpPolicyState current, params AnnouncedAddress[] addresses)
    {
        var desired = new AnnouncementSet(addresses, [A, B]);
        return GoBgpExportPlan.Build(current, [.. PeerPlanner.Plan(desired, false).Select(p => (GoBgpExportPlan.AddressOf(p.Peer), p))], RoutePlanner.Plan(desired, false));
    }

    private static List<string> Lines(GoBgpExportPlan plan) =>
        [.. plan.Commands.Select(c => string.Join(' ', c).Replace(plan.Policy ?? "none", "P", StringComparison.Ordinal))];

    /// <summary>The state gobgpd has once <paramref name="plan"/> ran.</summary>
    private static GoBgpPolicyState After(GoBgpExportPlan plan)
    {
        var lines = plan.Commands.Select(c => string.Join(' ', c)).ToList();
        List<string> Named(string start, int word) => [.. lines.Where(l => l.StartsWith(start, StringComparison.Ordinal)).Select(l => l.Split(' ')[word]).Distinct()];
        return new GoBgpPolicyState([plan.Policy!], [plan.Policy!], Named("policy statement add ", 3), Named("policy prefix add ", 3), Named("policy neighbor add ", 3));
    }

    [Fact]
    public void A_route_advertised_to_one_of_two_peers_is_accepted_only_towards_that_peer_with_its_attributes_and_the_rest_rejected()
    {
        var plan = Plan(GoBgpPolicyState.Empty,
            Web("198.19.10.5", new PeerAdvertisement("a", new BgpAttributes(["65000:1", "65000:300"], ["65000:1:2"], 250))),
            Web("198.19.10.6", new PeerAdvertisement("a", NodeWide), new PeerAdvertisement("b", NodeWide)),
            Web("198.19.10.7"));

        plan.Policy.Should().MatchRegex("^beacon-export-[0-9a-f]{8}$");
        Lines(plan).Should().Equal(
            "policy neighbor add P-n1 198.18.0.1",
            "policy neighbor add P-n2 198.18.0.2",
            "policy prefix add P-1 198.19.10.5/32",
            "policy statement add P-1",
            "policy statement P-1 add condition prefix P-1",
            "policy statement P-1 add condition neighbor P-n1",
            "policy statement P-1 add action community add 65000:300",
            "policy statement P-1 add action large-community add 65000:1:2",
            "policy statement P-1 add action local-pref 250",
            "policy statement P-1 add action accept",
            "policy prefix add P-2 198.19.10.6/32",
            "policy statement add P-2",
            "policy statement P-2 add condition prefix P-2",
            "policy statement P-2 add condition neighbor P-n1",
            "policy statement P-2 add action accept",
            "policy statement add P-3",
            "policy statement P-3 add condition neighbor P-n1",
            "policy statement P-3 add action reject",
            "policy prefix add P-4 198.19.10.6/32",
            "policy statement add P-4",
            "policy statement P-4 add condition prefix P-4",
            "policy statement P-4 add condition neighbor P-n2",
            "policy statement P-4 add action accept",
            "policy statement add P-5",
            "policy statement P-5 add condition neighbor P-n2",
            "policy statement P-5 add action reject",
            "policy add P P-1 P-2 P-3 P-4 P-5",
            "global policy export add P",
            "neighbor 198.18.0.1 softresetout",
            "neighbor 198.18.0.2 softresetout");
        Lines(plan).Should().NotContain(l => l.Contains("198.19.10.7", StringComparison.Ordinal), "no advertisement names a resource peer for it");
    }

    [Property]
    public Property Whatever_the_advertisements_each_peer_is_sent_exactly_its_routes_with_its_communities_added()
    {
        var advertisement = Gen.Elements("a", "b").SelectMany(peer => Gen.Elements<string[]>([], ["65000:300"], ["65000:1", "65000:2"])
            .Select(c => new PeerAdvertisement(peer, new BgpAttributes(c, [], null))));
        var address = Gen.Choose(0, 7).SelectMany(last => advertisement.ListOf().Select(to => Web($"198.19.10.{last}", [.. to])));
        return Prop.ForAll(address.ListOf().ToArbitrary(), addresses =>
        {
            var set = new AnnouncementSet([.. addresses], [A, B]);
            var global = RoutePlanner.Plan(set, false);
            var plan = GoBgpExportPlan.Build(GoBgpPolicyState.Empty, [.. PeerPlanner.Plan(set, false).Select(p => (GoBgpExportPlan.AddressOf(p.Peer), p))], global);
            foreach (var peer in PeerPlanner.Plan(set, false))
            {
                foreach (var route in global)
                {
                    var sent = peer.Routes.SingleOrDefault(r => r.Prefix == route.Prefix);
                    var actions = Evaluate(plan, GoBgpExportPlan.AddressOf(peer.Peer), route.Prefix.ToString());
                    (actions is not null).Should().Be(sent is not null, $"{route.Prefix} to {peer.Peer.Name}");
                    if (sent is not null)
                    {
                        var added = actions!.Where(a => a.StartsWith("community add ", StringComparison.Ordinal)).SelectMany(a => a[14..].Split(','));
                        route.Attributes.Communities.Union(added).Order(StringComparer.Ordinal).Should().Equal(sent.Attributes.Communities);
                    }
                }
            }
        });
    }

    /// <summary>What gobgpd's export policy does with a prefix towards a neighbour: the actions of the first statement
    /// matching, or null (rejected).</summary>
    private static List<string>? Evaluate(GoBgpExportPlan plan, string neighbor, string prefix)
    {
        var lines = plan.Commands.Select(c => string.Join(' ', c)).ToList();
        var prefixes = lines.Where(l => l.StartsWith("policy prefix add ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToLookup(w => w[3], w => w[4]);
        var neighbors = lines.Where(l => l.StartsWith("policy neighbor add ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(w => w[3], w => w[4]);
        foreach (var statement in lines.Single(l => l.StartsWith("policy add ", StringComparison.Ordinal)).Split(' ')[3..])
        {
            var mine = lines.Where(l => l.StartsWith($"policy statement {statement} add ", StringComparison.Ordinal)).Select(l => l[$"policy statement {statement} add ".Length..]).ToList();
            var prefixSet = mine.SingleOrDefault(l => l.StartsWith("condition prefix ", StringComparison.Ordinal))?.Split(' ')[2];
            if (neighbors[mine.Single(l => l.StartsWith("condition neighbor ", StringComparison.Ordinal)).Split(' ')[2]] == neighbor
                && (prefixSet is null || prefixes[prefixSet].Contains(prefix)))
            {
                return mine.Contains("action reject") ? null : [.. mine.Where(l => l.StartsWith("action ", StringComparison.Ordinal)).Select(l => l[7..])];
            }
        }

        return [];
    }

    [Fact]
    public void An_assigned_policy_with_the_same_content_means_nothing_to_do()
    {
        var first = Plan(GoBgpPolicyState.Empty, Web("198.19.10.5", new PeerAdvertisement("a", NodeWide)));

        Plan(After(first), Web("198.19.10.5", new PeerAdvertisement("a", NodeWide))).Commands.Should().BeEmpty();
    }

    [Fact]
    public void A_changed_peers_list_swaps_in_a_new_policy_before_the_old_one_and_its_objects_are_deleted()
    {
        var first = Plan(GoBgpPolicyState.Empty, Web("198.19.10.5", new PeerAdvertisement("a", NodeWide), new PeerAdvertisement("b", NodeWide)));
        var old = first.Policy!;

        var second = Plan(After(first), Web("198.19.10.5", new PeerAdvertisement("a", NodeWide)));

        second.Policy.Should().NotBe(old);
        var lines = second.Commands.Select(c => string.Join(' ', c)).ToList();
        lines.Should().ContainInOrder(
            $"policy add {second.Policy} {second.Policy}-1 {second.Policy}-2 {second.Policy}-3",
            $"global policy export add {second.Policy}",
            $"global policy export del {old}",
            $"policy del {old}",
            $"policy statement del {old}-1",
            $"policy prefix del {old}-1",
            $"policy neighbor del {old}-n1",
            "neighbor 198.18.0.1 softresetout");
        lines.Should().Contain($"policy statement {second.Policy}-3 add condition neighbor {second.Policy}-n2")
            .And.Contain($"policy statement {second.Policy}-3 add action reject", "b is sent nothing now");
    }

    [Fact]
    public void With_no_resource_peer_left_Beacons_policy_objects_are_deleted_and_nothing_else()
    {
        var state = After(Plan(GoBgpPolicyState.Empty, Web("198.19.10.5", new PeerAdvertisement("a", NodeWide))));
        var policy = state.Policies[0];

        var plan = GoBgpExportPlan.Build(state, [], []);

        plan.Policy.Should().BeNull();
        plan.Commands.Select(c => string.Join(' ', c)).Should().Equal(
            $"global policy export del {policy}", $"policy del {policy}",
            $"policy statement del {policy}-1", $"policy statement del {policy}-2", $"policy statement del {policy}-3",
            $"policy prefix del {policy}-1", $"policy neighbor del {policy}-n1", $"policy neighbor del {policy}-n2");
        GoBgpExportPlan.Build(GoBgpPolicyState.Empty, [], []).Commands.Should().BeEmpty();
    }

    [Fact]
    public void Only_Beacons_objects_are_read_from_the_CLIs_JSON()
    {
        var state = GoBgpPolicyState.Parse(
            """{"name":"global","direction":2,"policies":[{"name":"mine"},{"name":"beacon-export-0a1b2c3d"}],"default_action":1}""",
            """[{"name":"beacon-export-0a1b2c3d","statements":[{"name":"beacon-export-0a1b2c3d-1"}]},{"name":"mine"}]""",
            """[{"name":"beacon-export-0a1b2c3d-1","conditions":{},"actions":{"route_action":1}},{"name":"st"}]""",
            """[{"name":"beacon-export-0a1b2c3d-1","prefixes":[{"ip_prefix":"198.19.10.5/32"}]},{"name":"ps"}]""",
            """[{"defined_type":1,"name":"beacon-export-0a1b2c3d-n1","list":["198.18.0.1/32"]}]""");

        state.Should().BeEquivalentTo(new GoBgpPolicyState(
            ["beacon-export-0a1b2c3d"], ["beacon-export-0a1b2c3d"], ["beacon-export-0a1b2c3d-1"], ["beacon-export-0a1b2c3d-1"], ["beacon-export-0a1b2c3d-n1"]));
        GoBgpPolicyState.Parse("", "", "[]", "null", "").Should().BeEquivalentTo(GoBgpPolicyState.Empty);
    }
}
