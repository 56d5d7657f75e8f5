using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Routing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Announcer.Tests.Routing;

/// <summary>Which routes a node originates for its addresses: host routes, aggregates, and only routed addresses.</summary>
public sealed class RoutePlannerTests
{
    [Fact]
    public void Each_routed_address_becomes_a_host_route_and_owned_lan_addresses_are_left_to_ARP()
    {
        var routes = RoutePlanner.Plan(
            Desired.Of(Desired.Routed("a/web", "198.19.10.5"), Desired.Routed("a/web6", "fd00:beac:ff::5"), Desired.Owned("a/lan", "198.18.0.50")),
            includeLocalOwners: false);

        routes.Select(r => r.Prefix.ToString()).Should().Equal("198.19.10.5/32", "fd00:beac:ff::5/128");
        routes[0].Interface.Should().Be("kube-lb0");
    }

    [Fact]
    public void Owned_lan_addresses_are_routed_via_their_interface_when_asked()
    {
        var routes = RoutePlanner.Plan(Desired.Of(Desired.Owned("a/lan", "198.18.0.50")), includeLocalOwners: true);

        routes.Should().ContainSingle().Which.Should().Match<AnnouncedRoute>(r => r.Prefix.ToString() == "198.18.0.50/32" && r.Interface == "eth0");
    }

    [Fact]
    public void Aggregation_announces_the_covering_prefix_once_with_the_merged_attributes_of_its_addresses()
    {
        var routes = RoutePlanner.Plan(
            Desired.Of(
                Desired.Routed("a/one", "198.19.11.17", 24, new BgpAttributes(["65000:2"], [], 100)),
                Desired.Routed("a/two", "198.19.11.200", 24, new BgpAttributes(["65000:1"], ["1:2:3"], 300)),
                Desired.Routed("a/three", "198.19.12.1", 24),
                Desired.Routed("a/v6", "fd00:beac:ff::1234", 64)),
            includeLocalOwners: false);

        routes.Select(r => r.Prefix.ToString()).Should().Equal("198.19.11.0/24", "198.19.12.0/24", "fd00:beac:ff::/64");
        routes[0].Services.Should().Equal("a/one", "a/two");
        routes[0].Attributes.Should().Be(new BgpAttributes(["65000:1", "65000:2"], ["1:2:3"], 300));
    }

    [Property]
    public Property Every_routed_address_is_covered_by_exactly_one_route_whatever_the_input_order()
    {
        var address = Gen.Elements(0, 1, 2, 3, 255).SelectMany(last => Gen.Elements(10, 11).Select(third => $"198.19.{third}.{last}"));
        var entry = address.SelectMany(a => Gen.Elements<int?>(null, 24, 28, 32).Select(agg => Desired.Routed("ns/" + a, a, agg)));
        return Prop.ForAll(
            entry.ListOf().ToArbitrary(),
            list =>
            {
                var set = Desired.Of([.. list]);
                var routes = RoutePlanner.Plan(set, includeLocalOwners: false);
                var shuffled = RoutePlanner.Plan(Desired.Of([.. Enumerable.Reverse(list)]), includeLocalOwners: false);
                shuffled.Select(r => r.Prefix).Should().Equal(routes.Select(r => r.Prefix));
                routes.Select(r => r.Prefix).Should().OnlyHaveUniqueItems();
                foreach (var a in list)
                {
                    routes.Count(r => r.Prefix.Equals(RoutePlanner.PrefixOf(a))).Should().Be(1);
                    routes.Should().Contain(r => r.Prefix.Contains(a.Address));
                }

                routes.All(r => list.Any(a => r.Prefix.Contains(a.Address))).Should().BeTrue("every route covers at least one address");
            });
    }

    [Theory]
    [InlineData("198.19.11.77", 24, "198.19.11.0/24")]
    [InlineData("198.19.11.77", 0, "0.0.0.0/0")]
    [InlineData("198.19.11.77", 31, "198.19.11.76/31")]
    [InlineData("198.19.11.77", 33, "198.19.11.77/32")]
    [InlineData("fd00:beac:ff::77", 120, "fd00:beac:ff::/120")]
    public void The_announced_prefix_has_no_host_bits(string address, int aggregation, string expected)
    {
        RoutePlanner.PrefixOf(Desired.Routed("a/b", address, aggregation)).ToString().Should().Be(expected);
    }

    [Property]
    public Property Merging_attributes_is_a_union_with_the_highest_local_preference_in_any_order()
    {
        var community = Gen.Elements("1:1", "1:2", "65000:100");
        var attributes = community.ListOf().SelectMany(c => Gen.Elements<uint?>(null, 50, 200).Select(p => new BgpAttributes([.. c.Distinct().Order(StringComparer.Ordinal)], [], p)));
        return Prop.ForAll(
            attributes.ToArbitrary(),
            attributes.ToArbitrary(),
            (a, b) =>
            {
                var merged = a.Merge(b);
                merged.Should().Be(b.Merge(a));
                merged.Communities.Should().BeEquivalentTo(a.Communities.Union(b.Communities));
                merged.LocalPreference.Should().Be(a.LocalPreference is null ? b.LocalPreference : b.LocalPreference is null ? a.LocalPreference : Math.Max(a.LocalPreference.Value, b.LocalPreference.Value));
            });
    }

    [Fact]
    public void Attribute_text_and_interface_names_that_could_break_a_daemon_config_are_reported()
    {
        var bad = new AnnouncedRoute(
            IPNetwork.Parse("198.19.10.5/32"),
            "kube-lb0\"; }",
            new BgpAttributes(["65000:100", "70000:1", "1:2;"], ["1:2:3", "1:2", "4294967296:0:0"], null),
            []);

        RouteValidation.Problems([bad]).Should().HaveCount(5)
            .And.Contain(p => p.Contains("interface", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'70000:1'", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'4294967296:0:0'", StringComparison.Ordinal));
        RouteValidation.Problems([bad with { Interface = "kube-lb0", Attributes = Desired.Communities }]).Should().BeEmpty();
    }
}
