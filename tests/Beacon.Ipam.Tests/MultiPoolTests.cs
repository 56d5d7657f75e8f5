using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>PureLB v2's <c>multiPool</c>, case by case (see <see cref="MultiPoolProperties"/> for the invariants).</summary>
public sealed class MultiPoolTests
{
    private static ServiceGroupSpec Segments(bool multiPool = true, string secondPool = "10.0.2.1-10.0.2.9") => new()
    {
        Name = "segments",
        MultiPool = multiPool,
        V4Pools = [new PoolSpec("10.0.1.0/24", "10.0.1.1-10.0.1.9"), new PoolSpec("10.0.2.0/24", secondPool), new PoolSpec("10.0.3.0/24", "10.0.3.1-10.0.3.9")],
        V6Pools = [new PoolSpec("fd00:1::/64", "fd00:1::1-fd00:1::9"), new PoolSpec("fd00:2::/64", "fd00:2::1-fd00:2::9")],
    };

    [Fact]
    public void A_service_gets_one_address_from_every_pool_of_its_family_each_with_its_subnet()
    {
        var engine = Fixtures.Engine(Segments());

        var outcome = engine.Allocate(Fixtures.Service("web"));

        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Failure.Should().BeNull();
        outcome.Ips().Should().Equal("10.0.1.1", "10.0.2.1", "10.0.3.1");
        outcome.Addresses.Select(a => a.Subnet!.ToString()).Should().Equal("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24");
        engine.Allocate(Fixtures.Service("api")).Ips().Should().Equal("10.0.1.2", "10.0.2.2", "10.0.3.2");
    }

    [Fact]
    public void Dual_stack_gets_every_pool_of_both_families_primary_family_first()
    {
        var engine = Fixtures.Engine(Segments());

        var outcome = engine.Allocate(Fixtures.Service("web", policy: IpFamilyPolicy.RequireDualStack, families: [IpFamily.IPv6, IpFamily.IPv4]));

        outcome.Ips().Should().Equal("fd00:1::1", "fd00:2::1", "10.0.1.1", "10.0.2.1", "10.0.3.1");
    }

    [Fact]
    public void A_full_pool_is_skipped_and_named_and_filled_on_a_later_allocation_once_it_has_room()
    {
        var engine = Fixtures.Engine(Segments(secondPool: "10.0.2.1"));
        engine.Allocate(Fixtures.Service("first")).Ips().Should().Equal("10.0.1.1", "10.0.2.1", "10.0.3.1");

        var second = engine.Allocate(Fixtures.Service("second"));

        second.Status.Should().Be(AllocationStatus.Allocated, "PureLB allocates from the pools that have room");
        second.Ips().Should().Equal("10.0.1.2", "10.0.3.2");
        second.Failure!.Reason.Should().Be(FailureReason.PoolExhausted);
        second.Failure.Message.Should().Contain("v4pools[1] (10.0.2.0/24)").And.Contain("'segments'");

        engine.Release(new ServiceKey("default", "first"));
        var again = engine.Allocate(Fixtures.Service("second"));

        again.Ips().Should().Equal("10.0.1.2", "10.0.2.1", "10.0.3.2");
        again.Changed.Should().BeTrue();
        again.Failure.Should().BeNull();
    }

    [Fact]
    public void Every_pool_full_leaves_the_service_pending()
    {
        var engine = Fixtures.Engine(new ServiceGroupSpec
        {
            Name = "tiny",
            MultiPool = true,
            V4Pools = [new PoolSpec("10.0.1.0/24", "10.0.1.1"), new PoolSpec("10.0.2.0/24", "10.0.2.1")],
        });
        engine.Allocate(Fixtures.Service("first")).Ips().Should().Equal("10.0.1.1", "10.0.2.1");

        var second = engine.Allocate(Fixtures.Service("second"));

        second.Status.Should().Be(AllocationStatus.Pending);
        second.Failure!.Reason.Should().Be(FailureReason.PoolExhausted);
        engine.Pending.Should().Contain(new ServiceKey("default", "second"));
    }

    [Fact]
    public void A_shared_or_requested_address_stays_one_per_family()
    {
        var engine = Fixtures.Engine(Segments());

        engine.Allocate(Fixtures.Service("a", sharingKey: "k", ports: [new ServicePort(80)])).Ips().Should().Equal("10.0.1.1");
        engine.Allocate(Fixtures.Service("b", sharingKey: "k", ports: [new ServicePort(443)])).Ips().Should().Equal("10.0.1.1");
        engine.Allocate(Fixtures.Service("c", addresses: "10.0.3.7")).Ips().Should().Equal("10.0.3.7");
    }

    [Fact]
    public void A_restart_restores_several_addresses_of_one_family_and_release_gives_them_all_back()
    {
        var engine = Fixtures.Engine(Segments());
        var held = engine.Allocate(Fixtures.Service("web")).Addresses.Select(a => a.Address).ToList();

        var restored = Fixtures.Engine(Segments());
        var outcome = restored.Restore(Fixtures.Service("web"), held);

        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Ips().Should().Equal("10.0.1.1", "10.0.2.1", "10.0.3.1");
        restored.Allocate(Fixtures.Service("web")).Changed.Should().BeFalse();
        restored.Allocate(Fixtures.Service("other")).Ips().Should().Equal("10.0.1.2", "10.0.2.2", "10.0.3.2");
        restored.Release(new ServiceKey("default", "web")).Select(a => a.ToString()).Should().Equal("10.0.1.1", "10.0.2.1", "10.0.3.1");
        restored.Statistics().Sum(s => s.Used).Should().Be(3);
    }

    [Fact]
    public void Two_addresses_of_one_pool_or_several_without_multi_pool_are_stale_after_a_restart()
    {
        var multi = Fixtures.Engine(Segments());
        var samePool = multi.Restore(Fixtures.Service("web"), [Fixtures.Ip("10.0.1.1"), Fixtures.Ip("10.0.1.2")]);
        samePool.Status.Should().Be(AllocationStatus.Stale);
        samePool.StaleAddresses.Single().Address.ToString().Should().Be("10.0.1.2");

        var single = Fixtures.Engine(Segments(multiPool: false));
        var several = single.Restore(Fixtures.Service("web"), [Fixtures.Ip("10.0.1.1"), Fixtures.Ip("10.0.2.1")]);
        several.Status.Should().Be(AllocationStatus.Stale);
        several.StaleAddresses.Single().Reason.Should().Contain("already holds another IPv4 address");
    }

    [Fact]
    public void Switching_multi_pool_on_adds_addresses_and_off_gives_back_all_but_the_first_of_each_family()
    {
        var engine = Fixtures.Engine(Segments(multiPool: false));
        engine.Allocate(Fixtures.Service("web")).Ips().Should().Equal("10.0.1.1");

        engine.SetGroups([Segments()]).Stale.Should().BeEmpty();
        var on = engine.Allocate(Fixtures.Service("web"));
        on.Ips().Should().Equal("10.0.1.1", "10.0.2.1", "10.0.3.1");

        engine.SetGroups([Segments(multiPool: false)]).Stale.Should().Equal(new ServiceKey("default", "web"));
        var off = engine.Allocate(Fixtures.Service("web"));
        off.Status.Should().Be(AllocationStatus.Allocated);
        off.Ips().Should().Equal("10.0.1.1");
        engine.Statistics().Sum(s => s.Used).Should().Be(1);
    }

    [Fact]
    public void Multi_pool_with_balance_pools_is_rejected_naming_the_field()
    {
        var result = new AddressAllocator().SetGroups([Segments() with { BalancePools = true }]);

        result.Errors.Should().ContainSingle(e => e.Field == "spec.local.balancePools" && e.Code == GroupErrorCode.ContradictoryOptions);
    }
}
