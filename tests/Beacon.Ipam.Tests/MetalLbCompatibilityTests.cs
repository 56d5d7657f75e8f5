using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class MetalLbCompatibilityTests
{
    [Fact]
    public void MetalLB_annotations_drive_allocation_like_PureLB_ones()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"), V4Group("gold", "10.0.1.0/24", "10.0.1.0/24"));
        ServiceRequest With(string name, params (string Key, string Value)[] annotations) =>
            Service(name, ports: [new ServicePort(name == "b" ? 443 : 80)]) with { Annotations = annotations.ToDictionary(a => a.Key, a => a.Value) };

        engine.Allocate(With("a", ("metallb.universe.tf/address-pool", "gold"), ("metallb.universe.tf/allow-shared-ip", "k"))).Ips().Should().Equal("10.0.1.0");
        engine.Allocate(With("b", ("metallb.io/loadBalancerIPs", "10.0.1.0"), ("metallb.io/allow-shared-ip", "k"))).Ips().Should().Equal("10.0.1.0");
        engine.HoldersOf(Ip("10.0.1.0")).Should().HaveCount(2);
    }
}
