namespace Beacon.Lab.Tests.Seeds;

/// <summary>Seed 001: MetalLB 0.12's legacy ConfigMap, layer 2, serving ingress-nginx's controller Service.</summary>
[Collection(SeedLabCollection.Name)]
public sealed class MetalLbConfigMapSeedTests(MetalLbConfigMapSeedTests.Lab lab) : IClassFixture<MetalLbConfigMapSeedTests.Lab>
{
    public sealed class Lab() : SeedLab("metallb-configmap-l2", "s001");

    [Fact]
    public async Task The_legacy_configmap_pool_serves_the_controller_from_one_owner_on_the_lan()
    {
        var controller = lab.Observations.Where(o => o.Service == "ingress-nginx/ingress-nginx-controller").ToList();
        controller.Select(o => o.Port).Should().BeEquivalentTo([80, 8080], lab.Log);
        controller.Should().OnlyContain(o => o.Converged && o.Mode == "layer 2", lab.Log);

        // The seed's controller got 10.20.13.15, the range's first address; here the same address of the lab's range.
        var address = controller[0].Address;
        address.Should().Be("198.18.10.15");
        controller[0].AnnouncingNodes.Should().ContainSingle();
        var owner = await lab.ClientResolvesToOwnerAsync(address);
        (await lab.Probe.FetchAsync(address, 80)).Should().Be(owner, "the owner answers the client's ARP and serves it");
    }
}
