using System.Text.Json;
using Beacon.Allocator.Formats.OpenElb;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Queries;
using Beacon.Allocator.Reconciling;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.OpenElb;

/// <summary>Seed 003: an OpenELB layer-2 user's Eip and annotated Services, read unchanged.</summary>
public sealed class Seed003Tests
{
    private static FormatWorld World() => FormatWorld.Of(
        ("openelb-eip.yaml", File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "OpenElb", "Seed003", "openelb-eip.yaml"))),
        ("services.yaml", File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "OpenElb", "Seed003", "services.yaml"))));

    [Fact]
    public void The_eip_and_the_annotated_services_are_read_without_a_single_problem()
    {
        var world = World();

        world.Snapshot.Problems.Should().BeEmpty();
        world.Translation.Problems.Should().BeEmpty();
        world.Translation.Pools.Should().ContainSingle(p => p.Name == "layer2-eip" && p.Kind == "Eip" && p.Origin == "openelb-eip.yaml:3");
        world.GroupProblems("layer2-eip").Should().BeEmpty();
    }

    [Fact]
    public void Services_naming_the_eip_get_its_addresses_in_order_and_the_third_waits_because_it_is_full()
    {
        var decisions = World().ReconcileAll();

        decisions["default/nginx-layer2"].Addresses.Select(a => a.Address.ToString()).Should().Equal("198.18.10.122");
        decisions["default/whoami-layer2"].Addresses.Select(a => a.Address.ToString()).Should().Equal("198.18.10.123");
        decisions["default/third-layer2"].Status.Should().Be(AllocationStatus.Pending);
        decisions["default/third-layer2"].Condition!.Message.Should().Contain("layer2-eip");
    }

    [Fact]
    public void The_addresses_are_answered_for_by_arp_on_the_eips_interface()
    {
        var policy = World().Translation.Announcements["layer2-eip"];

        policy.Announced.Should().BeTrue();
        policy.Bgp.Should().BeEmpty();
        policy.Layer2.Should().ContainSingle().Which.Interfaces.Should().Equal("eth0");
    }

    [Fact]
    public void The_status_reads_as_kubectl_get_eip_showed_it_under_openelb()
    {
        var world = World();
        world.ReconcileAll();

        var built = EipStatusBuilder.Build("198.18.10.122-198.18.10.123", world.GroupProblems("layer2-eip"), false,
            world.Engine.Assignments(), null, DateTimeOffset.UnixEpoch);

        JsonSerializer.Serialize(built.Eip, OpenElbJsonContext.Default.EipStatus).Should().Be(
            """{"occupied":true,"usage":2,"poolSize":2,"used":{"198.18.10.122":"default/nginx-layer2","198.18.10.123":"default/whoami-layer2"},"firstIP":"198.18.10.122","lastIP":"198.18.10.123","ready":true,"v4":true}""");
        built.Ready.Status.Should().Be("True");
        built.Ready.Message.Should().Be("2 of 2 address(es) in use");
    }

    [Fact]
    public void Beaconctl_status_in_standalone_mode_shows_the_eips_usage()
    {
        var world = World();
        var decisions = world.ReconcileAll();
        var services = world.Snapshot.Services.Values.ToList();
        foreach (var service in services)
        {
            // What the standalone Allocator writes back: status.loadBalancer.ingress.
            service.Status = ServiceStatusPlanner.Plan(service, decisions[service.Key], DateTimeOffset.UnixEpoch).Status ?? service.Status;
        }

        var view = new AllocatorView(services, world.Snapshot.Groups.Values.ToList(), new LoadBalancerClassFilter("beacon.io/beacon", [], true),
            _ => null, _ => [], _ => [], [], world.Snapshot.ForeignResources);

        StatusReportBuilder.Pools(view).Should().ContainSingle().Which.Should().Be(new Beacon.Contracts.PoolReport("layer2-eip", "layer2-eip/v4pool", "IPv4", 2, 2, 0));
        StatusReportBuilder.RejectedGroups(view).Should().BeEmpty();
    }

    [Fact]
    public void Beaconctl_import_turns_the_eip_into_a_service_group_for_users_moving_for_good()
    {
        var result = Beacon.Allocator.Formats.Import.ServiceGroupImport.Convert(
        [
            ("openelb-eip.yaml", File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "OpenElb", "Seed003", "openelb-eip.yaml"))),
        ]);

        result.Problems.Should().BeEmpty();
        var document = result.Documents.Should().ContainSingle().Subject;
        document.FileName.Should().Be("servicegroup-layer2-eip.yaml");
        document.Comments.Should().Contain("From Eip layer2-eip (openelb-eip.yaml:3).");
        document.Yaml.Should().Contain("pool: 198.18.10.122-198.18.10.123").And.Contain("aggregation: /32").And.Contain("name: layer2-eip");
    }
}
