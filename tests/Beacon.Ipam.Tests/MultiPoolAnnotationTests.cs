using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>PureLB v2's per-Service <c>purelb.io/multi-pool</c> annotation, which overrides the group's <c>multiPool</c>.</summary>
public sealed class MultiPoolAnnotationTests
{
    private static ServiceGroupSpec Segments(bool multiPool = false, bool balancePools = false) => new()
    {
        Name = "segments",
        MultiPool = multiPool,
        BalancePools = balancePools,
        V4Pools = [new PoolSpec("10.0.1.0/24", "10.0.1.1-10.0.1.9"), new PoolSpec("10.0.2.0/24", "10.0.2.1-10.0.2.9")],
    };

    private static ServiceRequest Service(string name, string? multiPool)
    {
        var service = Fixtures.Service(name);
        return multiPool is null
            ? service
            : service with { Annotations = new Dictionary<string, string> { [ServiceAnnotations.MultiPool] = multiPool } };
    }

    [Fact]
    public void True_gives_a_service_of_a_single_pool_group_an_address_from_every_pool()
    {
        var engine = Fixtures.Engine(Segments());

        engine.Allocate(Service("web", "true")).Ips().Should().Equal("10.0.1.1", "10.0.2.1");
        engine.Allocate(Service("plain", null)).Ips().Should().Equal("10.0.1.2");
    }

    [Fact]
    public void False_gives_a_service_of_a_multi_pool_group_one_address()
    {
        var engine = Fixtures.Engine(Segments(multiPool: true));

        engine.Allocate(Service("web", "false")).Ips().Should().Equal("10.0.1.1");
        engine.Allocate(Service("plain", null)).Ips().Should().Equal("10.0.1.2", "10.0.2.1");
    }

    [Fact]
    public void Adding_it_later_adds_addresses_and_turning_it_off_gives_back_all_but_the_first()
    {
        var engine = Fixtures.Engine(Segments());
        engine.Allocate(Service("web", null)).Ips().Should().Equal("10.0.1.1");

        var on = engine.Allocate(Service("web", "true"));
        on.Ips().Should().Equal("10.0.1.1", "10.0.2.1");
        on.Changed.Should().BeTrue();

        var off = engine.Allocate(Service("web", "false"));
        off.Status.Should().Be(AllocationStatus.Allocated);
        off.Ips().Should().Equal("10.0.1.1");
        engine.Statistics().Sum(s => s.Used).Should().Be(1);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("ture")]
    [InlineData("")]
    public void A_value_other_than_true_or_false_is_rejected_naming_the_annotation_and_the_service_keeps_its_addresses(string value)
    {
        var engine = Fixtures.Engine(Segments());
        engine.Allocate(Service("web", null)).Ips().Should().Equal("10.0.1.1");

        var outcome = engine.Allocate(Service("web", value));

        outcome.Status.Should().Be(AllocationStatus.Rejected);
        outcome.Failure!.Reason.Should().Be(FailureReason.InvalidRequest);
        outcome.Failure.Message.Should().Contain("purelb.io/multi-pool").And.Contain("neither \"true\" nor \"false\"");
        engine.AddressesOf(new ServiceKey("default", "web")).Select(a => a.Address.ToString()).Should().Equal("10.0.1.1");
    }

    [Fact]
    public void True_on_a_balance_pools_group_keeps_one_balanced_address_and_says_why_there_is_no_more()
    {
        var engine = Fixtures.Engine(Segments(balancePools: true));
        engine.Allocate(Service("first", null)).Ips().Should().Equal("10.0.1.1");

        var outcome = engine.Allocate(Service("web", "true"));

        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Ips().Should().Equal("10.0.2.1");
        outcome.Failure!.Message.Should().Contain("purelb.io/multi-pool").And.Contain("balancePools");
    }

    [Fact]
    public void A_restart_keeps_the_addresses_the_annotation_asked_for()
    {
        var engine = Fixtures.Engine(Segments());
        var held = engine.Allocate(Service("web", "true")).Addresses.Select(a => a.Address).ToList();

        var restored = Fixtures.Engine(Segments());
        var outcome = restored.Restore(Service("web", "true"), held);

        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Ips().Should().Equal("10.0.1.1", "10.0.2.1");
        restored.Allocate(Service("web", "true")).Changed.Should().BeFalse();
    }

    [Fact]
    public void A_shared_service_stays_at_one_address_even_when_it_asks_for_every_pool()
    {
        var engine = Fixtures.Engine(Segments());
        var service = Fixtures.Service("web", sharingKey: "k");
        var annotations = new Dictionary<string, string>(service.Annotations) { [ServiceAnnotations.MultiPool] = "true" };

        engine.Allocate(service with { Annotations = annotations }).Ips().Should().Equal("10.0.1.1");
    }
}
