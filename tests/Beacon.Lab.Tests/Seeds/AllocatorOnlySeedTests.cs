using Beacon.TestSupport.Netns;

namespace Beacon.Lab.Tests.Seeds;

/// <summary>
/// Seed 004's allocator-only deployment: PureLB's lbnodeagent deleted, Calico's BGP advertising the LoadBalancer
/// CIDR listed in <c>BGPConfiguration.spec.serviceLoadBalancerIPs</c>. Here only the Allocator runs; each node's
/// BIRD exports the pool CIDR as Calico's does, and each node accepts the pool's addresses locally as kube-proxy's
/// IPVS does (kube-ipvs0), so the router spreads the Service's traffic over the nodes.
/// </summary>
[Collection(SeedLabCollection.Name)]
public sealed class AllocatorOnlySeedTests(AllocatorOnlySeedTests.Lab lab) : IClassFixture<AllocatorOnlySeedTests.Lab>
{
    /// <summary>The ServiceGroup's subnet, which the user lists in serviceLoadBalancerIPs.</summary>
    private const string ServiceLoadBalancerIPs = "198.18.192.0/18";

    public sealed class Lab() : SeedLab("allocator-only-calico", "s004c")
    {
        protected override bool NodeComponents => false;

        protected override string NodeBirdExport => "calico";

        protected override Func<string, string>? NodeBirdExtra =>
            _ => $"protocol static calico4 {{ ipv4; route {ServiceLoadBalancerIPs} unreachable; }}\n";
    }

    [Fact]
    public async Task The_allocator_alone_assigns_and_the_calico_route_brings_the_client_to_the_service()
    {
        lab.Up.ProcessNames.Should().NotContain(n => n.EndsWith("-nodeagent", StringComparison.Ordinal) || n.EndsWith("-announcer", StringComparison.Ordinal));
        await SeedLab.Eventually(() => Task.FromResult(lab.Assigned("nginx-quic/nginx-lb-service").Count > 0 && lab.Assigned("nginx-quic/nginx-lb2-service").Count > 0),
            "the Allocator assigns both Services\n" + lab.Log);
        lab.Assigned("nginx-quic/nginx-lb-service").Should().Equal("198.18.192.80");
        var second = lab.Assigned("nginx-quic/nginx-lb2-service").Should().ContainSingle().Subject;

        await SeedLab.Eventually(async () => (await lab.Probe.NextHopNodesAsync(ServiceLoadBalancerIPs)).Count == lab.Topology.Nodes.Count,
            "the router has the pool route from every node's BIRD");

        foreach (var node in lab.Topology.Nodes)
        {
            await HostCommand.RunCheckedAsync("ip", "-n", lab.Topology.NodeNamespace(node), "route", "add", "local", ServiceLoadBalancerIPs, "dev", "lo");
            (await HostCommand.RunCheckedAsync("ip", "-n", lab.Topology.NodeNamespace(node), "-o", "addr", "show"))
                .StandardOutput.Should().NotContain("198.18.192.", "no Beacon component plumbs addresses in this deployment");
        }

        foreach (var address in new[] { "198.18.192.80", second })
        {
            (await lab.Probe.FetchAsync(address, 80)).Should().BeOneOf(lab.Topology.Nodes, $"{address} is reached through the router's pool route");
        }

        // What an operator reads: beaconctl status lists both Services with their addresses.
        var status = await lab.BeaconctlStatusAsync();
        SeedLab.Rows(status, "nginx-quic/nginx-lb-service").Should().ContainSingle(status).Which[2].Should().Be("198.18.192.80");
        SeedLab.Rows(status, "nginx-quic/nginx-lb2-service").Should().ContainSingle(status).Which[2].Should().Be(second);
    }
}
