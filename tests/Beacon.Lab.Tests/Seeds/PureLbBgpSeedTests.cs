using System.Globalization;
using System.Net;
using Beacon.TestSupport.Netns;

namespace Beacon.Lab.Tests.Seeds;

/// <summary>
/// Seed 004: a PureLB ServiceGroup outside every node subnet with <c>aggregation: /32</c>, announced by node BIRDs
/// that already carry routes of their own (Calico's, in the seed): Beacon's /32s reach the router, theirs stay put.
/// </summary>
[Collection(SeedLabCollection.Name)]
public sealed class PureLbBgpSeedTests(PureLbBgpSeedTests.Lab lab) : IClassFixture<PureLbBgpSeedTests.Lab>
{
    public sealed class Lab() : SeedLab("purelb-bgp-aggregation", "s004")
    {
        /// <summary>The node's own routes: a pod block per node, as Calico's BIRD carries them (198.19.N.0/26 here).</summary>
        public static string PodBlock(string node) =>
            string.Create(CultureInfo.InvariantCulture, $"198.19.{LabTopology.NodeNumber(node)}.0/26");

        protected override Func<string, string>? NodeBirdExtra =>
            node => $"protocol static calico_blocks {{ ipv4; route {PodBlock(node)} unreachable; }}\n";
    }

    [Fact]
    public async Task The_router_receives_a_32_per_service_from_every_node()
    {
        lab.Observations.Select(o => o.Service).Should().BeEquivalentTo(["nginx-quic/nginx-lb-service", "nginx-quic/nginx-lb2-service"], lab.Log);
        lab.Observations.Should().OnlyContain(o => o.Converged && o.Mode == "BGP/ECMP", lab.Log);
        lab.Observations.Single(o => o.Service == "nginx-quic/nginx-lb-service").Address.Should().Be("198.18.192.80");
        // The seed's nginx-lb2-service got 10.33.192.0, the range's first address: PureLB hands out a .0 inside a
        // range, and so does Beacon; routed as a /32 it is an ordinary address.
        lab.Observations.Single(o => o.Service == "nginx-quic/nginx-lb2-service").Address.Should().Be("198.18.192.0");
        var pool = IPNetwork.Parse("198.18.192.0/18");
        foreach (var observation in lab.Observations)
        {
            pool.Contains(IPAddress.Parse(observation.Address)).Should().BeTrue();
            var route = await HostCommand.RunCheckedAsync("ip", "-n", lab.Topology.Router, "route", "show", observation.Address + "/32");
            route.StandardOutput.Should().Contain(observation.Address, "aggregation /32 advertises the address itself");
            (await lab.Probe.NextHopNodesAsync(observation.Address)).Should().BeEquivalentTo(lab.Topology.Nodes);
        }
    }

    [Fact]
    public async Task The_node_birds_own_protocol_and_routes_are_undisturbed()
    {
        foreach (var node in lab.Topology.Nodes)
        {
            var protocols = await lab.NodeBirdAsync(node, "show", "protocols");
            protocols.Should().MatchRegex(@"calico_blocks\s+Static\s+master4\s+up");
            var own = await lab.NodeBirdAsync(node, "show", "route", "protocol", "calico_blocks");
            own.Should().Contain(Lab.PodBlock(node));
            var beacon = await lab.NodeBirdAsync(node, "show", "route", "protocol", "beacon4");
            foreach (var observation in lab.Observations)
            {
                beacon.Should().Contain(observation.Address + "/32");
            }
        }
    }
}
