namespace Beacon.Lab.Tests.Seeds;

/// <summary>Seed 003: OpenELB's layer-2 Eip (with its status block as the seed applied it) and a Service with the OpenELB annotations.</summary>
[Collection(SeedLabCollection.Name)]
public sealed class OpenElbLayer2SeedTests(OpenElbLayer2SeedTests.Lab lab) : IClassFixture<OpenElbLayer2SeedTests.Lab>
{
    public sealed class Lab() : SeedLab("openelb-l2", "s003");

    [Fact]
    public async Task The_annotated_service_gets_the_eips_first_address_and_its_owner_answers_arp()
    {
        var nginx = lab.Observations.Should().ContainSingle(lab.Log).Subject;
        nginx.Service.Should().Be("qianyun/nginx");
        nginx.Converged.Should().BeTrue(lab.Log);
        nginx.Mode.Should().Be("layer 2");
        nginx.Address.Should().Be("198.18.10.122", "OpenELB hands out an Eip's addresses from firstIP on");
        nginx.AnnouncingNodes.Should().ContainSingle();
        var owner = await lab.ClientResolvesToOwnerAsync(nginx.Address);
        (await lab.Probe.FetchAsync(nginx.Address, 80)).Should().Be(owner);
    }

    [Fact]
    public async Task Beaconctl_status_shows_the_eips_usage_as_its_status_would()
    {
        // Standalone manifests are read-only, so the Eip's status (poolSize 2, usage 1) is shown by beaconctl.
        var status = await lab.BeaconctlStatusAsync();
        var pool = SeedLab.Rows(status, "layer2-eip").Should().ContainSingle(status).Subject;
        pool[1..].Should().Equal(["layer2-eip/v4pool", "IPv4", "2", "1", "1"], status);
    }
}
