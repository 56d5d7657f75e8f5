using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class AllocationTests
{
    [Fact]
    public void Addresses_are_handed_out_lowest_first_and_reused_lowest_first()
    {
        var engine = Engine(V4Group("default", "192.168.1.0/24", "192.168.1.10-192.168.1.20"));

        engine.Allocate(Service("a")).Ips().Should().Equal("192.168.1.10");
        engine.Allocate(Service("b")).Ips().Should().Equal("192.168.1.11");
        engine.Allocate(Service("c")).Ips().Should().Equal("192.168.1.12");
        engine.Release(new ServiceKey("default", "b")).Select(a => a.ToString()).Should().Equal("192.168.1.11");
        engine.Release(new ServiceKey("default", "a"));

        engine.Allocate(Service("d")).Ips().Should().Equal("192.168.1.10");
        engine.Allocate(Service("e")).Ips().Should().Equal("192.168.1.11");
        engine.Allocate(Service("f")).Ips().Should().Equal("192.168.1.13");
    }

    [Fact]
    public void Outcome_carries_group_pool_subnet_and_aggregation_for_the_node_agent()
    {
        var engine = Engine(new ServiceGroupSpec
        {
            Name = "virtual",
            V4Pool = new PoolSpec("172.31.1.0/24", "172.31.1.0/24", "/32"),
        });

        var address = engine.Allocate(Service("a", group: "virtual")).Addresses.Should().ContainSingle().Subject;

        address.Address.ToString().Should().Be("172.31.1.0");
        address.Group.Should().Be("virtual");
        address.Pool.Should().Be("virtual/v4pool");
        address.Subnet!.ToString().Should().Be("172.31.1.0/24");
        address.PrefixLength.Should().Be(32);
        address.Shared.Should().BeFalse();
    }

    [Fact]
    public void Allocating_again_with_the_same_request_changes_nothing()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        var first = engine.Allocate(Service("a"));

        var again = engine.Allocate(Service("a"));

        again.Status.Should().Be(AllocationStatus.Allocated);
        again.Changed.Should().BeFalse();
        again.Ips().Should().Equal(first.Ips());
        first.Changed.Should().BeTrue();
    }

    [Fact]
    public void Exhaustion_leaves_the_service_pending_without_disturbing_others()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.2"));
        engine.Allocate(Service("a"));
        engine.Allocate(Service("b"));

        var outcome = engine.Allocate(Service("c"));

        outcome.Status.Should().Be(AllocationStatus.Pending);
        outcome.Addresses.Should().BeEmpty();
        outcome.Failure!.Reason.Should().Be(FailureReason.PoolExhausted);
        outcome.Failure.Message.Should().Contain("no free IPv4 address in ServiceGroup 'default'");
        engine.Pending.Should().Equal(new ServiceKey("default", "c"));
        engine.AddressesOf(new ServiceKey("default", "a")).Should().ContainSingle();

        engine.Release(new ServiceKey("default", "a"));
        engine.Allocate(Service("c")).Ips().Should().Equal("10.0.0.1");
        engine.Pending.Should().BeEmpty();
    }

    [Fact]
    public void Unknown_and_rejected_groups_are_named_in_the_failure()
    {
        var engine = new AddressAllocator();
        engine.SetGroups([V4Group("ok", "10.0.0.0/24", "10.0.0.0/24"), V4Group("broken", "10.1.0.0/24", "10.9.9.9")]);

        var unknown = engine.Allocate(Service("a", group: "nope"));
        unknown.Failure!.Reason.Should().Be(FailureReason.UnknownGroup);
        unknown.Failure.Message.Should().Be("ServiceGroup 'nope' does not exist");

        var rejected = engine.Allocate(Service("b", group: "broken"));
        rejected.Failure!.Reason.Should().Be(FailureReason.GroupRejected);
        rejected.Failure.Message.Should().Contain("not inside subnet 10.1.0.0/24");
    }

    [Fact]
    public void Requested_addresses_are_honoured_from_annotation_or_loadBalancerIP()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));

        engine.Allocate(Service("a", addresses: "10.0.0.77")).Ips().Should().Equal("10.0.0.77");
        engine.Allocate(Service("b", loadBalancerIP: "10.0.0.78")).Ips().Should().Equal("10.0.0.78");
        engine.Allocate(Service("c")).Ips().Should().Equal("10.0.0.0");
    }

    [Fact]
    public void Requested_address_outside_every_pool_taken_or_in_another_group_is_refused()
    {
        var engine = Engine(V4Group("one", "10.0.0.0/24", "10.0.0.0/24"), V4Group("two", "10.0.1.0/24", "10.0.1.0/24"));
        engine.Allocate(Service("holder", addresses: "10.0.0.5"));

        engine.Allocate(Service("a", addresses: "192.0.2.1")).Failure!.Reason.Should().Be(FailureReason.AddressNotInAnyPool);

        var taken = engine.Allocate(Service("b", addresses: "10.0.0.5"));
        taken.Failure!.Reason.Should().Be(FailureReason.AddressInUse);
        taken.Failure.Message.Should().Contain("default/holder");
        taken.Failure.ConflictingServices.Should().Equal(new ServiceKey("default", "holder"));

        var wrongGroup = engine.Allocate(Service("c", group: "two", addresses: "10.0.0.9"));
        wrongGroup.Failure!.Reason.Should().Be(FailureReason.AddressNotInRequestedGroup);
        wrongGroup.Failure.Message.Should().Contain("'one'").And.Contain("'two'");

        engine.Allocate(Service("d", group: "two", addresses: "10.0.1.9")).Ips().Should().Equal("10.0.1.9");
    }

    [Fact]
    public void Contradicting_loadBalancerIP_and_annotation_is_a_rejected_request()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));

        var outcome = engine.Allocate(Service("a", addresses: "10.0.0.1", loadBalancerIP: "10.0.0.2"));

        outcome.Status.Should().Be(AllocationStatus.Rejected);
        outcome.Failure!.Reason.Should().Be(FailureReason.InvalidRequest);
        outcome.Failure.Message.Should().Contain("spec.loadBalancerIP 10.0.0.2 contradicts purelb.io/addresses");
    }

    [Fact]
    public void A_malformed_new_request_holds_nothing_and_is_not_pending()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));

        var outcome = engine.Allocate(Service("a", addresses: "10.0.0"));

        outcome.Status.Should().Be(AllocationStatus.Rejected);
        outcome.Failure!.Message.Should().Contain("purelb.io/addresses: '10.0.0' is not a valid IPv4 address");
        outcome.Addresses.Should().BeEmpty();
        engine.Pending.Should().BeEmpty();
    }

    [Fact]
    public void A_typo_in_an_annotation_keeps_the_address_the_service_already_has()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        engine.Allocate(Service("a", addresses: "10.0.0.9"));

        var outcome = engine.Allocate(Service("a", addresses: "10.0.0.9,10.0.0.10"));

        outcome.Status.Should().Be(AllocationStatus.Rejected);
        outcome.Ips().Should().Equal("10.0.0.9");
        engine.Allocate(Service("b", addresses: "10.0.0.9")).Failure!.Reason.Should().Be(FailureReason.AddressInUse);
    }

    [Fact]
    public void Changing_the_requested_address_moves_the_service_and_frees_the_old_one()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        engine.Allocate(Service("a", addresses: "10.0.0.9"));

        var moved = engine.Allocate(Service("a", addresses: "10.0.0.10"));

        moved.Ips().Should().Equal("10.0.0.10");
        moved.Changed.Should().BeTrue();
        engine.HoldersOf(Ip("10.0.0.9")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("ClusterIP", null)]
    [InlineData("LoadBalancer", "example.com/other")]
    public void Services_that_are_not_ours_are_ignored_and_release_what_they_held(string type, string? lbClass)
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        engine.Allocate(Service("a"));

        var outcome = engine.Allocate(Service("a") with { Type = type, LoadBalancerClass = lbClass });

        outcome.Status.Should().Be(AllocationStatus.NotManaged);
        outcome.Changed.Should().BeTrue();
        engine.AddressesOf(new ServiceKey("default", "a")).Should().BeEmpty();
    }

    [Fact]
    public void Our_class_and_a_configured_class_are_managed()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        engine.Allocate(Service("a") with { LoadBalancerClass = "purelb.io/purelb" }).Status.Should().Be(AllocationStatus.Allocated);

        var custom = Engine(new AllocatorOptions { LoadBalancerClass = "beacon.io/lb" }, V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        custom.Allocate(Service("a") with { LoadBalancerClass = "beacon.io/lb" }).Status.Should().Be(AllocationStatus.Allocated);
        custom.Allocate(Service("b") with { LoadBalancerClass = "purelb.io/purelb" }).Status.Should().Be(AllocationStatus.NotManaged);
    }

    [Fact]
    public void AvoidBuggyIPs_never_hands_out_dot_zero_or_dot_255()
    {
        var engine = Engine(new ServiceGroupSpec { Name = "default", AvoidBuggyIPs = true, V4Pool = new PoolSpec("10.0.0.0/16", "10.0.0.254-10.0.1.1") });

        engine.Allocate(Service("a")).Ips().Should().Equal("10.0.0.254");
        engine.Allocate(Service("b")).Ips().Should().Equal("10.0.1.1");
        engine.Allocate(Service("c")).Status.Should().Be(AllocationStatus.Pending);
        engine.Allocate(Service("d", addresses: "10.0.1.0")).Failure!.Reason.Should().Be(FailureReason.AddressNotAllowed);
        engine.Statistics().Single().Size.Should().Be(2);
    }

    [Fact]
    public void Without_avoidBuggyIPs_dot_zero_is_a_normal_address()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        engine.Allocate(Service("a")).Ips().Should().Equal("10.0.0.0");
    }

    [Fact]
    public void Pools_of_a_group_are_used_in_declaration_order()
    {
        var engine = Engine(new ServiceGroupSpec
        {
            Name = "default",
            V4Pools = [new PoolSpec("10.0.9.0/24", "10.0.9.1"), new PoolSpec("10.0.1.0/24", "10.0.1.1-10.0.1.2")],
        });

        engine.Allocate(Service("a")).Ips().Should().Equal("10.0.9.1");
        engine.Allocate(Service("b")).Ips().Should().Equal("10.0.1.1");
        engine.Allocate(Service("b2")).Addresses.Single().Pool.Should().Be("default/v4pools[1]");
    }

    [Fact]
    public void Comma_separated_ranges_in_one_pool_are_used_lowest_first()
    {
        var engine = Engine(new ServiceGroupSpec { Name = "default", V4Pool = new PoolSpec("10.0.0.0/24", "10.0.0.50-10.0.0.51, 10.0.0.7") });

        engine.Allocate(Service("a")).Ips().Should().Equal("10.0.0.7");
        engine.Allocate(Service("b")).Ips().Should().Equal("10.0.0.50");
    }

    [Fact]
    public void Statistics_count_size_used_and_free_per_pool()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.0/24", "fd00::/64", "fd00::/64"));
        engine.Allocate(Service("a", policy: IpFamilyPolicy.RequireDualStack));
        engine.Allocate(Service("b"));

        var stats = engine.Statistics();

        stats.Should().HaveCount(2);
        stats[0].Should().Match<PoolStatistics>(s => s.Pool == "default/v4pool" && s.Size == 256 && s.Used == 2 && s.Free == 254);
        stats[1].Size.Should().Be(System.Numerics.BigInteger.Pow(2, 64));
        stats[1].Used.Should().Be(1);
    }

    [Fact]
    public void Invalid_ports_are_rejected_with_the_port_named()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.0/24"));
        var outcome = engine.Allocate(Service("a", ports: [new ServicePort(0), new ServicePort(53, "ICMP")]));

        outcome.Failure!.Message.Should().Contain("port 0 is outside 1-65535").And.Contain("protocol 'ICMP' of port 53");
    }
}
