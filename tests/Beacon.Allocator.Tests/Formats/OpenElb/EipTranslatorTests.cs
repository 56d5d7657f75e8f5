using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.OpenElb;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.OpenElb;

public sealed class EipTranslatorTests
{
    private static readonly Dictionary<string, string> NoAnnotations = [];

    private static EipTranslation Translate(string specJson, Dictionary<string, string>? annotations = null) =>
        EipTranslator.Translate("pool", DateTimeOffset.UnixEpoch, annotations ?? NoAnnotations, (JsonObject)JsonNode.Parse(specJson)!);

    private static AddressPool OnlyPool(EipTranslation translation)
    {
        var result = ServiceGroupValidator.Validate(translation.Pool!);
        result.Errors.Should().BeEmpty();
        return result.Group!.Pools.Single();
    }

    [Theory]
    [InlineData("192.168.0.100", "192.168.0.100", 1)]
    [InlineData("192.168.0.100/30", "192.168.0.100-192.168.0.103", 4)]
    [InlineData("192.168.0.102/30", "192.168.0.100-192.168.0.103", 4)]
    [InlineData("192.168.0.100-192.168.0.110", "192.168.0.100-192.168.0.110", 11)]
    [InlineData("2001:db8::10-2001:db8::1f", "2001:db8::10-2001:db8::1f", 16)]
    public void An_address_a_cidr_with_its_network_and_broadcast_or_a_range_is_the_pool_as_openelb_counts_it(string address, string range, int size)
    {
        var pool = OnlyPool(Translate($$"""{"address":"{{address}}","protocol":"layer2","interface":"eth0"}"""));

        string.Join(",", pool.Ranges).Should().Be(range);
        ((int)pool.Size).Should().Be(size);
        pool.PrefixLength.Should().Be(pool.Family == IpFamily.IPv4 ? 32 : 128, "OpenELB never adds a prefix route; Beacon plumbs a host address");
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("192.168.0.110-192.168.0.100", "reversed")]
    [InlineData("192.168.0.1,192.168.0.2", "lists several ranges")]
    [InlineData("192.168.0.300", "192.168.0.300")]
    [InlineData("192.168.0.1-2001:db8::1", "mixes")]
    public void A_bad_address_rejects_the_eip_naming_the_field(string address, string message)
    {
        var translation = Translate($$"""{"address":"{{address}}"}""");

        translation.Pool.Should().BeNull();
        translation.Problems.Should().ContainSingle(p => p.Rejected && p.Field == "spec.address").Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Protocol_defaults_to_bgp_and_anything_but_bgp_layer2_vip_is_rejected()
    {
        Translate("""{"address":"10.0.0.1"}""").Protocol.Should().Be("bgp");
        var wrong = Translate("""{"address":"10.0.0.1","protocol":"l2"}""");
        wrong.Pool.Should().BeNull();
        wrong.Problems.Should().ContainSingle(p => p.Field == "spec.protocol" && p.Message == "'l2' is not one of bgp, layer2, vip");
    }

    [Fact]
    public void Layer2_without_an_interface_is_served_with_a_warning_where_openelb_would_refuse_it()
    {
        var translation = Translate("""{"address":"10.0.0.1","protocol":"layer2"}""");

        translation.Pool.Should().NotBeNull();
        translation.Problems.Should().ContainSingle(p => !p.Rejected && p.Field == "spec.interface");
    }

    [Fact]
    public void A_can_reach_interface_is_a_warning_and_announces_on_every_interface()
    {
        var translation = Translate("""{"address":"10.0.0.1","protocol":"layer2","interface":"can_reach:10.0.0.254"}""");

        translation.Interface.Should().BeNull();
        translation.Problems.Should().ContainSingle(p => !p.Rejected && p.Field == "spec.interface");
    }

    [Fact]
    public void An_eip_bound_to_nothing_and_not_the_default_is_used_only_by_services_naming_it()
    {
        Translate("""{"address":"10.0.0.1"}""").Pool!.AutoAssign.Should().BeFalse();
        Translate("""{"address":"10.0.0.1"}""", new() { ["eip.openelb.kubesphere.io/is-default-eip"] = "true" }).Pool!.AutoAssign.Should().BeTrue();
        Translate("""{"address":"10.0.0.1","namespaces":["team-a"]}""").Pool!.AutoAssign.Should().BeTrue();
        Translate("""{"address":"10.0.0.1","namespaceSelector":{"tier":"web"}}""").Pool!.AutoAssign.Should().BeTrue();
    }

    [Fact]
    public void A_disabled_eip_hands_nothing_out_automatically()
    {
        Translate("""{"address":"10.0.0.1","namespaces":["team-a"],"disable":true}""").Pool!.AutoAssign.Should().BeFalse();
        Translate("""{"address":"10.0.0.1","disable":true}""", new() { ["eip.openelb.kubesphere.io/is-default-eip"] = "true" }).Pool!.AutoAssign.Should().BeFalse();
    }

    [Fact]
    public void Namespaces_and_namespace_selector_admit_either_and_priority_orders_namespace_bound_eips_before_the_default()
    {
        var pool = Translate("""{"address":"10.0.0.1","priority":7,"namespaces":["team-a"],"namespaceSelector":{"tier":"web"}}""").Pool!;
        var group = ServiceGroupValidator.Validate(pool).Group!;

        group.Allocation.Priority.Should().Be(7);
        group.Allocation.Admits(Request("team-a", [])).Should().BeTrue();
        group.Allocation.Admits(Request("team-b", new Dictionary<string, string> { ["tier"] = "web" })).Should().BeTrue();
        group.Allocation.Admits(Request("team-b", [])).Should().BeFalse();
        Translate("""{"address":"10.0.0.1"}""", new() { ["eip.openelb.kubesphere.io/is-default-eip"] = "true" }).Pool!.Allocation.Should().BeNull("the default Eip comes after every namespace-bound one");
    }

    [Fact]
    public void A_wrong_field_type_is_rejected_with_its_path()
    {
        var translation = Translate("""{"address":"10.0.0.1","priority":"high"}""");

        translation.Pool.Should().BeNull();
        translation.Problems.Should().ContainSingle().Which.Field.Should().Be("spec.priority");
    }

    [Fact]
    public void Using_known_ips_is_accepted_with_a_note()
    {
        var translation = Translate("""{"address":"10.0.0.1","usingKnownIPs":true}""");

        translation.Pool.Should().NotBeNull();
        translation.Problems.Should().ContainSingle(p => !p.Rejected && p.Field == "spec.usingKnownIPs");
    }

    private static ServiceRequest Request(string ns, Dictionary<string, string> namespaceLabels) => new()
    {
        Key = new ServiceKey(ns, "svc"),
        NamespaceLabels = namespaceLabels,
    };
}
