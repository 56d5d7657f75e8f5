using System.Numerics;
using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class ScaleTests
{
    [Fact]
    public void An_IPv6_slash_64_and_an_IPv4_slash_8_pool_work_without_materialising_them()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/8", "10.0.0.0/8", "2001:db8::/64", "2001:db8::/64"));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 2_000; i++)
        {
            engine.Allocate(Service($"s{i}", policy: IpFamilyPolicy.RequireDualStack)).Status.Should().Be(AllocationStatus.Allocated);
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        grown.Should().BeLessThan(16 * 1024 * 1024, "memory follows allocations, not the 2^64-address pool");
        engine.AddressesOf(new ServiceKey("default", "s1999")).Select(a => a.Address.ToString()).Should().Equal("10.0.7.207", "2001:db8::7cf");
        var stats = engine.Statistics();
        stats[0].Free.Should().Be(BigInteger.Pow(2, 24) - 2_000);
        stats[1].Free.Should().Be(BigInteger.Pow(2, 64) - 2_000);
    }

    [Fact]
    public void Requested_addresses_high_in_a_huge_pool_are_skipped_by_automatic_allocation()
    {
        var engine = Engine(new ServiceGroupSpec { Name = "default", V6Pool = new PoolSpec("2001:db8::/64", "2001:db8::/64") });
        engine.Allocate(Service("top", addresses: "2001:db8::ffff:ffff:ffff:ffff"));
        engine.Allocate(Service("second", addresses: "2001:db8::1"));

        engine.Allocate(Service("a", families: [IpFamily.IPv6])).Ips().Should().Equal("2001:db8::");
        engine.Allocate(Service("b", families: [IpFamily.IPv6])).Ips().Should().Equal("2001:db8::2");
    }

    [Fact]
    public void A_pool_ending_at_the_last_IPv6_address_is_exhausted_cleanly()
    {
        var engine = Engine(new ServiceGroupSpec { Name = "default", V6Pool = new PoolSpec("ffff::/16", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") });

        engine.Allocate(Service("a", families: [IpFamily.IPv6])).Ips().Should().Equal("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
        engine.Allocate(Service("b", families: [IpFamily.IPv6])).Ips().Should().Equal("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        engine.Allocate(Service("c", families: [IpFamily.IPv6])).Failure!.Reason.Should().Be(FailureReason.PoolExhausted);
        engine.Release(new ServiceKey("default", "b"));
        engine.Allocate(Service("c", families: [IpFamily.IPv6])).Ips().Should().Equal("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    }
}
