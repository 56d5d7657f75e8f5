using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.PureLbV2;

public sealed class ServiceGroupV2Tests
{
    /// <summary>PureLB's own sample (deployments/samples/local-servicegroup.yaml), unchanged.</summary>
    private const string PureLbSample = """
        apiVersion: purelb.io/v2
        kind: ServiceGroup
        metadata:
          name: default
          namespace: purelb-system
        spec:
          local:
            v4pools:
            - subnet: 192.168.254.0/24
              pool: 192.168.254.230/32
              aggregation: default
            - subnet: 192.168.254.0/24
              pool: 192.168.254.231-192.168.254.240
              aggregation: default
            v6pools:
            - subnet: fd53:9ef0:8683::/120
              pool: fd53:9ef0:8683::-fd53:9ef0:8683::3
              aggregation: default
        """;

    [Fact]
    public void Beaconctl_import_turns_a_v2_group_into_a_v1_group_with_the_same_pools()
    {
        var result = Beacon.Allocator.Formats.Import.ServiceGroupImport.Convert([("v2.yaml", PureLbSample)]);

        result.Problems.Should().BeEmpty();
        var reread = Beacon.Allocator.Standalone.ManifestCatalog.Build([("out.yaml", result.ToYaml())]);
        reread.Problems.Should().BeEmpty();
        result.ToYaml().Should().Contain("apiVersion: purelb.io/v1");
        var local = reread.Groups.Values.Single().Spec.Local!;
        local.V4Pools!.Select(p => p.Pool).Should().Equal("192.168.254.230/32", "192.168.254.231-192.168.254.240");
        local.V6Pools!.Single().Pool.Should().Be("fd53:9ef0:8683::-fd53:9ef0:8683::3");
    }

    private static string Group(string name, string spec) => $"""
        apiVersion: purelb.io/v2
        kind: ServiceGroup
        metadata:
          name: {name}
          namespace: purelb-system
        spec:
        {spec}
        ---

        """;

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: default
        spec:
          type: LoadBalancer
          ipFamilyPolicy: PreferDualStack
          ipFamilies: [IPv4, IPv6]
          ports:
          - port: 80
        """;

    [Fact]
    public void Pureslbs_own_v2_sample_gives_the_same_pools_as_its_v1_equivalent_and_serves_dual_stack()
    {
        var world = FormatWorld.Of(("sg.yaml", PureLbSample), ("svc.yaml", Service));

        world.Translation.Problems.Should().BeEmpty();
        world.GroupProblems("default").Should().BeEmpty();
        world.Statistics.Select(s => $"{s.Pool} {s.Size}").Should().BeEquivalentTo(["default/v4pools[0] 1", "default/v4pools[1] 10", "default/v6pools[0] 4"]);
        world.ReconcileAll()["default/web"].Addresses.Select(a => a.Address.ToString()).Should().Equal("192.168.254.230", "fd53:9ef0:8683::");
    }

    [Fact]
    public void Multi_pool_gives_the_service_an_address_from_every_pool_without_a_warning_and_balance_pools_too()
    {
        var world = FormatWorld.Of(("sg.yaml",
            Group("multi", "  local:\n    multiPool: true\n    v4pools:\n    - {subnet: 10.0.1.0/24, pool: 10.0.1.10-10.0.1.19}\n    - {subnet: 10.0.2.0/24, pool: 10.0.2.10-10.0.2.19}\n    v6pools:\n    - {subnet: 'fd00:1::/64', pool: 'fd00:1::10-fd00:1::19'}\n    - {subnet: 'fd00:2::/64', pool: 'fd00:2::10-fd00:2::19'}")
            + Group("balanced", "  remote:\n    balancePools: true\n    v4pool: {subnet: 10.1.0.0/24, pool: 10.1.0.1-10.1.0.9}")),
            ("svc.yaml", Service.Replace("namespace: default", "namespace: default\n  annotations: {purelb.io/service-group: multi}", StringComparison.Ordinal)));

        world.Translation.Pools.Select(p => p.Name).Should().BeEquivalentTo(["multi", "balanced"]);
        world.Translation.Problems.Should().BeEmpty();
        world.Translation.Pools.Single(p => p.Name == "multi").MultiPool.Should().BeTrue();
        world.Translation.Pools.Single(p => p.Name == "balanced").BalancePools.Should().BeTrue();
        var decision = world.ReconcileAll()["default/web"];
        decision.Addresses.Select(a => $"{a.Address} {a.Subnet}").Should().Equal(
            "10.0.1.10 10.0.1.0/24", "10.0.2.10 10.0.2.0/24", "fd00:1::10 fd00:1::/64", "fd00:2::10 fd00:2::/64");
    }

    [Theory]
    [InlineData("  local:\n    multiPool: true\n    balancePools: true\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}", "spec.local.balancePools")]
    [InlineData("  external: {provider: netbox, announce: local}", "spec.external")]
    [InlineData("  enforceNamespaces: true\n  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}", "spec.enforceNamespaces")]
    [InlineData("  namespaceDefault: true\n  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}", "spec.namespaceDefault")]
    [InlineData("  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}\n  remote:\n    v4pool: {subnet: 10.1.0.0/24, pool: 10.1.0.1}", "spec")]
    [InlineData("  namespaces: [a]\n  allocation: {namespaces: [b]}\n  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}", "spec.allocation.namespaces")]
    [InlineData("  local:\n    multiPool: yes-please\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}", "spec.local.multiPool")]
    public void What_purelb_itself_refuses_rejects_the_group_naming_the_field(string spec, string field)
    {
        var world = FormatWorld.Of(("sg.yaml", Group("g", spec)));

        world.Translation.Pools.Should().BeEmpty();
        world.Translation.Problems.Should().Contain(p => p.Rejected && p.Field == field && p.Resource == "ServiceGroup purelb-system/g");
    }

    [Fact]
    public void Namespaces_fence_the_group_and_namespace_default_puts_it_first_for_those_namespaces()
    {
        var world = FormatWorld.Of(("sg.yaml",
            Group("everyone", "  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1-10.0.0.9}")
            + Group("team-a", "  namespaces: [team-a]\n  enforceNamespaces: true\n  namespaceDefault: true\n  local:\n    v4pool: {subnet: 10.1.0.0/24, pool: 10.1.0.1-10.1.0.9}")),
            ("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: a, namespace: team-a}
                spec: {type: LoadBalancer, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: b, namespace: team-b}
                spec: {type: LoadBalancer, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: c, namespace: team-b, annotations: {purelb.io/service-group: team-a}}
                spec: {type: LoadBalancer, ports: [{port: 80}]}
                """));

        var decisions = world.ReconcileAll();

        world.Translation.Problems.Should().BeEmpty("enforceNamespaces: true is exactly Beacon's behaviour");
        decisions["team-a/a"].Addresses.Single().Address.ToString().Should().Be("10.1.0.1");
        decisions["team-b/b"].Addresses.Single().Address.ToString().Should().Be("10.0.0.1");
        decisions["team-b/c"].Status.Should().NotBe(AllocationStatus.Allocated, "the group is fenced to team-a");
    }

    [Theory]
    [InlineData("true", false)]
    [InlineData("false", true)]
    public void Skip_ipv6_dad_true_is_what_beacon_does_and_false_is_a_warning_naming_the_field(string value, bool warned)
    {
        var world = FormatWorld.Of(("sg.yaml", Group("g", $"  local:\n    skipIPv6DAD: {value}\n    v6pool: {{subnet: 'fd00:1::/64', pool: 'fd00:1::10-fd00:1::19'}}")));

        world.Translation.Pools.Select(p => p.Name).Should().Equal("g");
        world.Translation.Problems.Where(p => p.Field == "spec.local.skipIPv6DAD").Should().HaveCount(warned ? 1 : 0);
        world.Translation.Problems.Should().NotContain(p => p.Rejected);
    }

    [Fact]
    public void Namespaces_without_enforce_are_a_fence_too_and_say_so()
    {
        var world = FormatWorld.Of(("sg.yaml", Group("g", "  namespaces: [team-a]\n  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1}")));

        world.Translation.Problems.Should().ContainSingle(p => !p.Rejected && p.Field == "spec.namespaces");
    }

    [Fact]
    public void A_v1_and_a_v2_group_with_the_same_name_are_one_name_and_the_older_keeps_it()
    {
        var world = FormatWorld.Of(
            ("a-v1.yaml", """
                apiVersion: purelb.io/v1
                kind: ServiceGroup
                metadata: {name: lan, namespace: purelb-system, creationTimestamp: "2024-01-01T00:00:00Z"}
                spec:
                  local:
                    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.1-10.0.0.9}
                """),
            ("b-v2.yaml", Group("lan", "  local:\n    v4pool: {subnet: 10.9.0.0/24, pool: 10.9.0.1-10.9.0.9}")));

        world.Engine.Groups.Find("lan")!.Pools.Single().Subnet.ToString().Should().Be("10.0.0.0/24");
        world.GroupProblems("lan").Should().ContainSingle().Which.Should().Contain("another ServiceGroup already has this name");
    }
}
