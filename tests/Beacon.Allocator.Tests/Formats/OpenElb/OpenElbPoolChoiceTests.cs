using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.OpenElb;

/// <summary>Which Eip a Service gets, as OpenELB's ipam.getEIP chooses it.</summary>
public sealed class OpenElbPoolChoiceTests
{
    private static string Eip(string name, string address, string extra = "", string annotations = "") => $"""
        apiVersion: network.kubesphere.io/v1alpha2
        kind: Eip
        metadata:
          name: {name}
        {annotations}
        spec:
          address: {address}
          protocol: layer2
          interface: eth0
        {extra}
        ---

        """;

    private static string Service(string name, string ns, string annotations = "") => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
            lb.kubesphere.io/v1alpha1: openelb
        {annotations}
        spec:
          type: LoadBalancer
          ports:
          - port: 80
        ---

        """;

    private static string Addresses(FormatWorld world, string key) =>
        string.Join(",", world.ReconcileAll()[key].Addresses.Select(a => a.Address.ToString()));

    [Fact]
    public void A_service_naming_no_eip_gets_one_bound_to_its_namespace_before_the_default_one()
    {
        var world = FormatWorld.Of(
            ("eips.yaml",
                Eip("default-eip", "10.0.0.1-10.0.0.9", annotations: "  annotations:\n    eip.openelb.kubesphere.io/is-default-eip: \"true\"")
                + Eip("team-a", "10.0.1.1-10.0.1.9", extra: "  namespaces: [team-a]")),
            ("svc.yaml", Service("web", "team-a") + Service("api", "team-b")));

        world.Translation.Problems.Should().BeEmpty();
        Addresses(world, "team-a/web").Should().Be("10.0.1.1");
        Addresses(world, "team-b/api").Should().Be("10.0.0.1");
    }

    [Fact]
    public void Among_eips_bound_to_a_namespace_the_lower_priority_is_used_first_and_the_next_when_it_is_full()
    {
        var world = FormatWorld.Of(
            ("eips.yaml",
                Eip("second", "10.0.2.1", extra: "  namespaces: [team-a]\n  priority: 5")
                + Eip("first", "10.0.1.1", extra: "  namespaces: [team-a]\n  priority: 1")),
            ("svc.yaml", Service("a", "team-a") + Service("b", "team-a")));

        var decisions = world.ReconcileAll();

        decisions["team-a/a"].Addresses.Single().Address.ToString().Should().Be("10.0.1.1");
        decisions["team-a/b"].Addresses.Single().Address.ToString().Should().Be("10.0.2.1");
    }

    [Fact]
    public void A_namespace_selector_binds_an_eip_to_namespaces_by_their_labels()
    {
        var world = FormatWorld.Of(
            ("eips.yaml", Eip("web-tier", "10.0.3.1-10.0.3.5", extra: "  namespaceSelector:\n    tier: web")),
            ("svc.yaml", Service("shop", "shop") + Service("batch", "batch")));

        var decisions = world.ReconcileAll(ns => ns == "shop" ? new Dictionary<string, string> { ["tier"] = "web" } : new Dictionary<string, string>());

        decisions["shop/shop"].Addresses.Single().Address.ToString().Should().Be("10.0.3.1");
        decisions["batch/batch"].Status.Should().Be(AllocationStatus.Pending, "an Eip bound to no namespace of the Service and no default Eip: OpenELB assigns nothing");
    }

    [Fact]
    public void The_v1alpha1_address_annotation_asks_for_a_specific_address_of_the_eip_holding_it()
    {
        var world = FormatWorld.Of(
            ("eips.yaml", Eip("lan", "10.0.0.1-10.0.0.9")),
            ("svc.yaml", Service("web", "default", "    eip.openelb.kubesphere.io/v1alpha1: 10.0.0.7")));

        Addresses(world, "default/web").Should().Be("10.0.0.7");
    }

    [Fact]
    public void A_service_naming_a_disabled_eip_keeps_getting_nothing_new_automatically_but_naming_it_still_works()
    {
        var world = FormatWorld.Of(
            ("eips.yaml", Eip("off", "10.0.0.1-10.0.0.9", extra: "  disable: true", annotations: "  annotations:\n    eip.openelb.kubesphere.io/is-default-eip: \"true\"")),
            ("svc.yaml", Service("auto", "default") + Service("named", "default", "    eip.openelb.kubesphere.io/v1alpha2: off")));

        var decisions = world.ReconcileAll();

        decisions["default/auto"].Status.Should().Be(AllocationStatus.Pending);
        decisions["default/named"].Addresses.Should().ContainSingle("Beacon differs here (documented): naming a disabled Eip still allocates");
    }

    [Fact]
    public void A_broken_eip_is_reported_with_kind_file_and_line_and_does_not_disturb_a_good_one()
    {
        var world = FormatWorld.Of(
            ("eips.yaml", Eip("good", "10.0.0.1-10.0.0.9") + Eip("bad", "10.0.1.9-10.0.1.1")),
            ("svc.yaml", Service("web", "default", "    eip.openelb.kubesphere.io/v1alpha2: good")));

        world.Translation.Problems.Should().ContainSingle(p => p.Rejected).Which.ToString()
            .Should().Be("eips.yaml:18: Eip bad spec.address: '10.0.1.9-10.0.1.1' is reversed: 10.0.1.9 is above 10.0.1.1");
        Addresses(world, "default/web").Should().Be("10.0.0.1");
    }
}
