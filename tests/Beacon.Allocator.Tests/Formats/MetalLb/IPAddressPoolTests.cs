using Beacon.Ipam;
using static Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>IPAddressPool fields, each with the behaviour a MetalLB user relies on.</summary>
public sealed class IPAddressPoolTests
{
    [Fact]
    public void Cidrs_and_ranges_of_both_families_become_one_group_named_after_the_pool()
    {
        var translation = Translate(Pool("lan", "192.168.10.0/30, '192.168.9.1 - 192.168.9.5', 'fd00::10-fd00::1f'"));

        translation.Problems.Where(p => p.Rejected).Should().BeEmpty();
        var spec = translation.Pools.Should().ContainSingle().Subject;
        spec.Name.Should().Be("lan");
        spec.Kind.Should().Be("IPAddressPool");
        spec.Origin.Should().Be("metallb.yaml:1");
        spec.V4Pools.Select(p => (p.Subnet, p.Pool)).Should().Equal(("192.168.10.0/30", "192.168.10.0-192.168.10.3"), ("192.168.9.0/29", "192.168.9.1-192.168.9.5"));
        spec.V6Pools.Select(p => (p.Subnet, p.Pool)).Should().Equal(("fd00::10/124", "fd00::10-fd00::1f"));
    }

    [Fact]
    public void Addresses_are_handed_out_lowest_first_and_the_address_pool_annotation_picks_the_pool()
    {
        var translation = Translate(Pool("a", "10.0.0.10-10.0.0.12") + Pool("b", "10.0.1.0/24", "  autoAssign: false"));
        var (engine, result) = Engine(translation);
        result.Errors.Should().BeEmpty();

        Allocate(engine, Service("one")).Should().Equal("10.0.0.10");
        Allocate(engine, Service("two")).Should().Equal("10.0.0.11");
        Allocate(engine, Service("gold", annotations: Annotations(("metallb.universe.tf/address-pool", "b")))).Should().Equal("10.0.1.0");
        Allocate(engine, Service("new-key", annotations: Annotations(("metallb.io/address-pool", "b")))).Should().Equal("10.0.1.1");
    }

    [Fact]
    public void AutoAssign_false_serves_only_Services_naming_the_pool()
    {
        var (engine, _) = Engine(Translate(Pool("reserved", "10.0.0.0/24", "  autoAssign: false")));

        Allocate(engine, Service("anyone")).Should().BeEmpty();
        Allocate(engine, Service("named", annotations: Annotations(("metallb.universe.tf/address-pool", "reserved")))).Should().Equal("10.0.0.0");
    }

    [Fact]
    public void AvoidBuggyIPs_skips_addresses_ending_in_0_and_255()
    {
        var (engine, _) = Engine(Translate(Pool("buggy", "10.0.0.255-10.0.1.1", "  avoidBuggyIPs: true")));

        Allocate(engine, Service("a")).Should().Equal("10.0.1.1");
        Allocate(engine, Service("b")).Should().BeEmpty();
    }

    [Fact]
    public void Lower_priority_number_is_tried_first_and_priority_0_comes_last()
    {
        var translation = Translate(
            Pool("unset", "10.0.0.0/24", "  serviceAllocation: { priority: 0 }")
            + Pool("second", "10.0.2.0/24", "  serviceAllocation: { priority: 50 }")
            + Pool("first", "10.0.1.0/24", "  serviceAllocation: { priority: 10 }"));
        var (engine, _) = Engine(translation);

        translation.Pools.Single(p => p.Name == "unset").Allocation!.Priority.Should().BeNull();
        Allocate(engine, Service("web")).Should().Equal("10.0.1.0");
    }

    [Fact]
    public void Namespaces_and_namespace_selectors_admit_either_way_and_service_selectors_any_of()
    {
        var translation = Translate(Pool("tenant", "10.0.0.0/24", """
              serviceAllocation:
                namespaces: [shop]
                namespaceSelectors:
                - matchLabels: { team: blue }
                serviceSelectors:
                - matchExpressions: [{ key: app, operator: In, values: [nginx] }]
                - matchLabels: { tier: edge }
            """));
        var (engine, _) = Engine(translation);
        Kube.Models.Service Labelled(string name, string ns, string key, string value)
        {
            var service = Service(name, ns);
            service.Metadata.Labels = new Dictionary<string, string> { [key] = value };
            return service;
        }

        Allocate(engine, Labelled("listed", "shop", "app", "nginx")).Should().Equal("10.0.0.0");
        Allocate(engine, Labelled("selected-ns", "blue-ns", "tier", "edge"), new Dictionary<string, string> { ["team"] = "blue" }).Should().Equal("10.0.0.1");
        Allocate(engine, Labelled("other-ns", "red", "app", "nginx"), new Dictionary<string, string> { ["team"] = "red" }).Should().BeEmpty();
        Allocate(engine, Labelled("wrong-app", "shop", "app", "redis")).Should().BeEmpty();
    }

    [Fact]
    public void Sharing_follows_the_allow_shared_ip_key_and_refuses_a_port_clash()
    {
        var (engine, _) = Engine(Translate(Pool("lan", "10.0.0.0/24")));
        var key = ("metallb.universe.tf/allow-shared-ip", "dns");

        Allocate(engine, Service("tcp", annotations: Annotations(key), tcpPorts: [53])).Should().Equal("10.0.0.0");
        Allocate(engine, Service("other", annotations: Annotations(key, ("metallb.universe.tf/loadBalancerIPs", "10.0.0.0")), tcpPorts: [80])).Should().Equal("10.0.0.0");
        Allocate(engine, Service("clash", annotations: Annotations(key, ("metallb.universe.tf/loadBalancerIPs", "10.0.0.0")), tcpPorts: [53])).Should().BeEmpty();
    }

    [Theory]
    [InlineData("'10.0.0.5'", "addresses[0]", "neither a CIDR nor a range")]
    [InlineData("10.0.0.0/33", "addresses[0]", "prefix length")]
    [InlineData("'10.0.0.9-10.0.0.1'", "addresses[0]", "reversed")]
    [InlineData("10.0.0.0/24, '10.0.0.5-10.0.0.9'", "addresses[1]", "overlaps '10.0.0.0-10.0.0.255' of the same pool")]
    public void A_bad_address_rejects_the_pool_naming_field_and_line(string addresses, string field, string message)
    {
        var translation = Translate(Pool("bad", addresses) + Pool("good", "10.9.0.0/24"));

        translation.Pools.Select(p => p.Name).Should().Equal("good");
        var problem = translation.Problems.Should().ContainSingle(p => p.Rejected).Subject;
        problem.Resource.Should().Be("IPAddressPool metallb-system/bad");
        problem.Field.Should().Be(field);
        problem.Message.Should().Contain(message);
        problem.At.Should().Be("metallb.yaml:7");
    }

    [Fact]
    public void A_schema_violation_is_reported_at_its_line_and_rejects_only_that_pool()
    {
        var translation = Translate(Pool("typo", "10.0.0.0/24", "  autoAssign: sometimes") + Pool("good", "10.9.0.0/24"));

        translation.Pools.Select(p => p.Name).Should().Equal("good");
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.ToString().Should().StartWith("metallb.yaml:8: IPAddressPool metallb-system/typo spec.autoAssign:");
    }

    [Fact]
    public void Overlapping_pools_across_kinds_keep_the_older_and_name_the_kind()
    {
        var older = Group("purelb", "10.0.0.0/24", "10.0.0.0-10.0.0.255");
        var (engine, result) = Engine(Translate(Pool("newer", "10.0.0.128/25")), [older]);

        engine.Groups.Find("purelb").Should().NotBeNull();
        result.Errors.Should().ContainSingle().Which.Message.Should().Contain("ServiceGroup 'purelb'").And.Contain("older and keeps it");

        var (both, clash) = Engine(Translate(Pool("purelb", "10.1.0.0/24")), [older]);
        clash.Errors.Should().Contain(e => e.Code == GroupErrorCode.DuplicateName && e.Message.Contains("another ServiceGroup", StringComparison.Ordinal));
        both.Groups.Find("purelb")!.Kind.Should().Be("ServiceGroup");
    }
}
