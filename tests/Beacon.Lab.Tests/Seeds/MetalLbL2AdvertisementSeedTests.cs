using System.Net;

namespace Beacon.Lab.Tests.Seeds;

/// <summary>
/// Seeds 000/002: MetalLB's IPAddressPool (autoAssign false, avoidBuggyIPs, serviceAllocation), an L2Advertisement
/// with nodeSelectors and interfaces, and Services asking for the pool, a fixed address and a shared one.
/// </summary>
[Collection(SeedLabCollection.Name)]
public sealed class MetalLbL2AdvertisementSeedTests(MetalLbL2AdvertisementSeedTests.Lab lab) : IClassFixture<MetalLbL2AdvertisementSeedTests.Lab>
{
    private static readonly IPNetwork Pool = IPNetwork.Parse("198.18.10.64/27");

    public sealed class Lab() : SeedLab("metallb-l2-nodeselector", "s002");

    [Fact]
    public void Every_service_of_the_seed_answers_the_client_with_an_address_from_the_pool_it_names()
    {
        lab.Observations.Select(o => o.Service).Distinct().Should().BeEquivalentTo(
            ["default/nginx", "default/nginx-fixed", "default/nginx-1", "default/nginx-2"], lab.Log);
        lab.Observations.Should().OnlyContain(o => o.Converged && o.Mode == "layer 2", lab.Log);
        lab.Observations.Should().OnlyContain(o => Pool.Contains(IPAddress.Parse(o.Address)));
    }

    [Fact]
    public void The_loadBalancerIPs_annotation_pins_its_address_and_allow_shared_ip_shares_one()
    {
        lab.Observations.Single(o => o.Service == "default/nginx-fixed").Address.Should().Be("198.18.10.80");
        var shared = lab.Observations.Where(o => o.Service is "default/nginx-1" or "default/nginx-2").ToList();
        shared.Select(o => o.Address).Distinct().Should().ContainSingle("nginx-1 and nginx-2 share the key \"nginx\" on different ports");
        shared.Select(o => o.Port).Should().BeEquivalentTo([80, 8080]);
        lab.Observations.Single(o => o.Service == "default/nginx").Address.Should().NotBe(shared[0].Address);
    }

    [Fact]
    public async Task Only_the_node_the_advertisement_selects_holds_and_answers_for_the_addresses()
    {
        // nodeSelectors: kubernetes.io/hostname=node1 (test-1 in the seed), interfaces: [eth0].
        foreach (var observation in lab.Observations)
        {
            observation.AnnouncingNodes.Should().Equal(["node1"], $"{observation.Service} {observation.Address}");
            (await lab.Probe.ClientNeighbourMacAsync(observation.Address)).Should().Be(await lab.Probe.NodeMacAsync("node1"));
            observation.Answer.Should().Be("node1");
        }
    }
}
