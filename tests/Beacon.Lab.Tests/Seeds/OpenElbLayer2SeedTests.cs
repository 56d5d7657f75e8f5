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
        var owner = nginx.AnnouncingNodes.Should().ContainSingle().Subject;
        (await lab.Probe.ClientNeighbourMacAsync(nginx.Address)).Should().Be(await lab.Probe.NodeMacAsync(owner));
        nginx.Answer.Should().Be(owner);
    }
}
