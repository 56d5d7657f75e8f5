using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Tests.GoBgp;

/// <summary>Reading gobgpd's global RIB and planning the CLI calls that converge it.</summary>
public sealed class GoBgpPlanTests
{
    // Shapes as gobgp 3.10 prints them: a local path with attributes, a local plain one, one learned from a peer.
    private const string Rib = """
        {"198.19.10.5/32":[{"nlri":{"prefix":"198.19.10.5/32"},"age":1,"best":true,"attrs":[{"type":1,"value":0},{"type":5,"value":200},{"type":8,"communities":[4259840100]},{"type":32,"value":[{"ASN":65000,"LocalData1":1,"LocalData2":2}]},{"type":3,"nexthop":"0.0.0.0"}],"stale":false}],
         "198.19.10.6/32":[{"nlri":{"prefix":"198.19.10.6/32"},"age":1,"best":true,"attrs":[{"type":1,"value":0},{"type":3,"nexthop":"0.0.0.0"}],"stale":false}],
         "10.0.0.0/8":[{"nlri":{"prefix":"10.0.0.0/8"},"age":1,"best":true,"attrs":[{"type":1,"value":0},{"type":3,"nexthop":"198.18.0.1"}],"stale":false,"source-id":"198.18.0.1","neighbor-ip":"198.18.0.1"}]}
        """;

    [Fact]
    public void Local_paths_are_read_with_their_attributes_and_learned_paths_are_ignored()
    {
        var paths = GoBgpRib.ParseLocalPaths(Rib);

        paths.Should().BeEquivalentTo(new[]
        {
            new GoBgpPath(IPNetwork.Parse("198.19.10.5/32"), Desired.Communities),
            new GoBgpPath(IPNetwork.Parse("198.19.10.6/32"), BgpAttributes.None),
        });
        GoBgpRib.ParseLocalPaths("{}").Should().BeEmpty();
    }

    [Fact]
    public void The_plan_deletes_stale_paths_adds_missing_ones_and_re_adds_changed_ones()
    {
        var current = GoBgpRib.ParseLocalPaths(Rib);
        var routes = RoutePlanner.Plan(
            Desired.Of(Desired.Routed("a/web", "198.19.10.5"), Desired.Routed("a/v6", "fd00:beac:ff::5", attributes: Desired.Communities)),
            false);

        var plan = GoBgpCommandPlan.Build(current, routes).Select(c => string.Join(' ', c)).ToList();

        plan.Should().Equal(
            "global rib del -a ipv4 198.19.10.6/32",
            "global rib add -a ipv4 198.19.10.5/32 origin igp",
            "global rib add -a ipv6 fd00:beac:ff::5/128 origin igp community 65000:100 large-community 65000:1:2 local-pref 200");
    }

    [Fact]
    public void A_RIB_that_matches_needs_no_calls()
    {
        var routes = RoutePlanner.Plan(Desired.Of(Desired.Routed("a/web", "198.19.10.5", attributes: Desired.Communities), Desired.Routed("a/api", "198.19.10.6")), false);

        GoBgpCommandPlan.Build(GoBgpRib.ParseLocalPaths(Rib), routes).Should().BeEmpty();
    }
}
