using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class DualStackTests
{
    private static readonly IpFamily[] V6First = [IpFamily.IPv6, IpFamily.IPv4];

    [Fact]
    public void RequireDualStack_gets_both_families_primary_first()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));

        var outcome = engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack, families: V6First));

        outcome.Ips().Should().Equal("fd00::", "10.0.0.0");
        outcome.Addresses.Select(a => a.PrefixLength).Should().Equal(64, 24);
    }

    [Fact]
    public void RequireDualStack_gets_nothing_when_one_family_is_missing()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));

        var outcome = engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack));

        outcome.Status.Should().Be(AllocationStatus.Pending);
        outcome.Addresses.Should().BeEmpty();
        outcome.Failure!.Reason.Should().Be(FailureReason.FamilyNotAvailable);
        outcome.Failure.Message.Should().StartWith("RequireDualStack: no IPv6 pool");
        engine.Statistics().Single().Used.Should().Be(0);
    }

    [Fact]
    public void RequireDualStack_gets_nothing_when_one_family_is_exhausted()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::1"));
        engine.Allocate(Service("v6", families: [IpFamily.IPv6]));

        engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack)).Failure!.Reason.Should().Be(FailureReason.PoolExhausted);
        engine.AddressesOf(new ServiceKey("default", "a")).Should().BeEmpty();
    }

    [Fact]
    public void PreferDualStack_takes_one_family_when_only_one_is_available()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));

        var outcome = engine.Allocate(Service("a", policy: IpFamilyPolicy.PreferDualStack));

        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Ips().Should().Equal("10.0.0.0");
        outcome.Failure!.Reason.Should().Be(FailureReason.FamilyNotAvailable, "the missing family is reported for information");
    }

    [Fact]
    public void PreferDualStack_prefers_a_group_that_provides_both_families()
    {
        var engine = Engine(
            V4Group("a-v4only", "10.0.0.0/24", "10.0.0.0/24"),
            DualGroup("b-dual", "10.0.1.0/24", "10.0.1.0/24", "fd00::/64", "fd00::/64"));

        engine.Allocate(Service("s", policy: IpFamilyPolicy.PreferDualStack)).Ips().Should().Equal("10.0.1.0", "fd00::");
    }

    [Fact]
    public void PreferDualStack_adds_the_missing_family_later_without_moving_the_first()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::1"));
        engine.Allocate(Service("v6", families: [IpFamily.IPv6]));
        engine.Allocate(Service("a", policy: IpFamilyPolicy.PreferDualStack)).Ips().Should().Equal("10.0.0.0");

        engine.Release(new ServiceKey("default", "v6"));
        var upgraded = engine.Allocate(Service("a", policy: IpFamilyPolicy.PreferDualStack));

        upgraded.Ips().Should().Equal("10.0.0.0", "fd00::1");
        upgraded.Changed.Should().BeTrue();
    }

    [Fact]
    public void Requested_addresses_give_one_per_family()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));

        engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack, addresses: "fd00::9,10.0.0.9")).Ips().Should().Equal("10.0.0.9", "fd00::9");
    }

    [Fact]
    public void RequireDualStack_with_one_requested_address_is_a_rejected_request()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));

        var outcome = engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack, addresses: "10.0.0.9"));

        outcome.Status.Should().Be(AllocationStatus.Rejected);
        outcome.Failure!.Message.Should().Contain("needs one IPv4 and one IPv6 address");
    }

    [Fact]
    public void RequireDualStack_with_one_requested_address_taken_holds_neither()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));
        engine.Allocate(Service("holder", families: [IpFamily.IPv6], addresses: "fd00::9"));

        var outcome = engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack, addresses: "10.0.0.9,fd00::9"));

        outcome.Status.Should().Be(AllocationStatus.Pending);
        outcome.Failure!.Message.Should().Contain("default/holder");
        engine.HoldersOf(Ip("10.0.0.9")).Should().BeEmpty();
    }

    [Fact]
    public void SingleStack_takes_the_family_of_its_requested_address_or_refuses_a_mismatch()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));

        engine.Allocate(Service("a", addresses: "fd00::5")).Ips().Should().Equal("fd00::5");
        var mismatch = engine.Allocate(Service("b", addresses: "fd00::6", families: [IpFamily.IPv4]));
        mismatch.Status.Should().Be(AllocationStatus.Rejected);
        mismatch.Failure!.Message.Should().Contain("is not IPv4");
    }

    [Fact]
    public void RequireDualStack_with_a_single_declared_family_is_rejected()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));

        engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack, families: [IpFamily.IPv4]))
            .Failure!.Message.Should().Contain("needs both IPv4 and IPv6 in spec.ipFamilies");
    }

    [Fact]
    public void Switching_to_SingleStack_drops_the_second_family_only()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));
        engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack));

        var single = engine.Allocate(Service("a", families: [IpFamily.IPv4]));

        single.Ips().Should().Equal("10.0.0.0");
        engine.HoldersOf(Ip("fd00::")).Should().BeEmpty();
    }
}
