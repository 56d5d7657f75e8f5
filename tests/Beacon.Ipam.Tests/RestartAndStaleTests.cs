using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class RestartAndStaleTests
{
    private static readonly ServiceGroupSpec Wide = V4Group("default", "10.0.0.0/24", "10.0.0.0-10.0.0.99");
    private static readonly ServiceGroupSpec Narrow = V4Group("default", "10.0.0.0/24", "10.0.0.0-10.0.0.9");

    [Fact]
    public void Restored_addresses_are_kept_and_never_handed_to_others()
    {
        var engine = Engine(Wide);

        engine.Restore(Service("old"), [Ip("10.0.0.0")]).Status.Should().Be(AllocationStatus.Allocated);
        engine.Restore(Service("older", addresses: "10.0.0.50"), [Ip("10.0.0.50")]);

        engine.Allocate(Service("old")).Changed.Should().BeFalse();
        engine.Allocate(Service("new")).Ips().Should().Equal("10.0.0.1");
        engine.Allocate(Service("older", addresses: "10.0.0.50")).Ips().Should().Equal("10.0.0.50");
    }

    [Fact]
    public void A_restored_address_that_is_not_lowest_is_not_moved()
    {
        var engine = Engine(Wide);

        engine.Restore(Service("a"), [Ip("10.0.0.42")]);

        engine.Allocate(Service("a")).Ips().Should().Equal("10.0.0.42");
    }

    [Fact]
    public void An_address_left_outside_a_shrunken_pool_is_reported_stale_not_renumbered()
    {
        var engine = Engine(Wide);
        engine.Restore(Service("a"), [Ip("10.0.0.50")]);

        var update = engine.SetGroups([Narrow]);
        update.Stale.Should().Equal(new ServiceKey("default", "a"));

        var outcome = engine.Allocate(Service("a"));
        outcome.Status.Should().Be(AllocationStatus.Stale);
        outcome.Ips().Should().Equal("10.0.0.50");
        outcome.Changed.Should().BeFalse();
        outcome.Failure!.Reason.Should().Be(FailureReason.AddressInvalidated);
        outcome.StaleAddresses.Should().ContainSingle().Which.Reason.Should().Contain("not inside any pool");
        engine.StaleServices().Should().ContainSingle().Which.Service.Should().Be(new ServiceKey("default", "a"));
    }

    [Fact]
    public void Deleting_a_group_makes_its_services_stale_and_restoring_the_group_heals_them()
    {
        var engine = Engine(Wide, V4Group("other", "10.0.1.0/24", "10.0.1.0/24"));
        engine.Allocate(Service("a"));

        engine.SetGroups([V4Group("other", "10.0.1.0/24", "10.0.1.0/24")]).Stale.Should().Equal(new ServiceKey("default", "a"));
        engine.Allocate(Service("a")).Status.Should().Be(AllocationStatus.Stale);

        engine.SetGroups([Wide, V4Group("other", "10.0.1.0/24", "10.0.1.0/24")]).Stale.Should().BeEmpty();
        engine.Allocate(Service("a")).Should().Match<AllocationOutcome>(o => o.Status == AllocationStatus.Allocated && !o.Changed);
    }

    [Fact]
    public void An_unrelated_edit_to_a_stale_service_does_not_renumber_it()
    {
        var engine = Engine(Wide);
        engine.Allocate(Service("a"));
        engine.Allocate(Service("b"));
        engine.Release(new ServiceKey("default", "a"));
        engine.SetGroups([V4Group("default", "10.0.0.0/24", "10.0.0.0")]);

        var edited = engine.Allocate(Service("b", ports: [new ServicePort(8080)], labels: new Dictionary<string, string> { ["v"] = "2" }));

        edited.Status.Should().Be(AllocationStatus.Stale);
        edited.Ips().Should().Equal("10.0.0.1");
        edited.Changed.Should().BeFalse();
    }

    [Fact]
    public void A_stale_service_that_asks_for_another_address_moves_there()
    {
        var engine = Engine(Wide);
        engine.Restore(Service("a"), [Ip("10.0.0.50")]);
        engine.SetGroups([Narrow]);

        var moved = engine.Allocate(Service("a", addresses: "10.0.0.3"));

        moved.Status.Should().Be(AllocationStatus.Allocated);
        moved.Ips().Should().Equal("10.0.0.3");
        engine.HoldersOf(Ip("10.0.0.50")).Should().BeEmpty();
    }

    [Fact]
    public void With_RenumberInvalid_a_stale_service_gets_a_valid_address()
    {
        var engine = Engine(new AllocatorOptions { RenumberInvalid = true }, Wide);
        engine.Restore(Service("a"), [Ip("10.0.0.50")]);
        engine.SetGroups([Narrow]);

        var outcome = engine.Allocate(Service("a"));

        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Ips().Should().Equal("10.0.0.0");
        outcome.Changed.Should().BeTrue();
    }

    [Fact]
    public void A_stale_address_that_now_lies_in_another_group_is_still_not_handed_out_twice()
    {
        var engine = Engine(Wide);
        engine.Allocate(Service("a", group: "default", addresses: "10.0.0.50"));
        engine.SetGroups([Narrow, V4Group("other", "10.0.0.0/24", "10.0.0.50-10.0.0.51")]).Stale.Should().Equal(new ServiceKey("default", "a"));

        engine.Allocate(Service("a", group: "default", addresses: "10.0.0.50")).StaleAddresses.Single().Reason
            .Should().Be("belongs to ServiceGroup 'other', but the Service asks for 'default'");
        engine.Allocate(Service("b", group: "other")).Ips().Should().Equal("10.0.0.51");
    }

    [Fact]
    public void Turning_off_autoAssign_makes_automatic_addresses_stale_but_not_requested_ones()
    {
        var engine = Engine(Wide);
        engine.Allocate(Service("auto"));
        engine.Allocate(Service("a", addresses: "10.0.0.5"));

        engine.SetGroups([Wide with { AutoAssign = false }]).Stale.Should().Equal(new ServiceKey("default", "auto"));
        engine.Allocate(Service("auto")).StaleAddresses.Single().Reason.Should().Contain("autoAssign: false");
    }

    [Fact]
    public void A_requested_address_stays_valid_when_autoAssign_is_turned_off()
    {
        var engine = Engine(Wide);
        engine.Allocate(Service("a", addresses: "10.0.0.5"));
        engine.SetGroups([Wide with { AutoAssign = false }]);

        engine.Allocate(Service("a", addresses: "10.0.0.5")).Status.Should().Be(AllocationStatus.Allocated, "a requested address does not need autoAssign");
        engine.Allocate(Service("b", group: "default", addresses: "10.0.0.5")).Failure!.Reason.Should().Be(FailureReason.AddressInUse);
    }

    [Fact]
    public void Conflicting_status_addresses_at_restore_go_to_the_first_and_the_second_is_reported()
    {
        var engine = Engine(Wide);
        engine.Restore(Service("first"), [Ip("10.0.0.7")]);

        var second = engine.Restore(Service("second"), [Ip("10.0.0.7")]);

        second.Status.Should().Be(AllocationStatus.Stale);
        second.Addresses.Should().BeEmpty();
        second.StaleAddresses.Single().Reason.Should().Contain("default/first");
        engine.HoldersOf(Ip("10.0.0.7")).Should().Equal(new ServiceKey("default", "first"));
        engine.Allocate(Service("second")).Status.Should().Be(AllocationStatus.Stale, "renumbering is off");
    }

    [Fact]
    public void Restoring_shared_addresses_rebuilds_sharing()
    {
        var engine = Engine(Wide);
        engine.Restore(Service("web", sharingKey: "k", ports: [new ServicePort(80)]), [Ip("10.0.0.3")]);
        engine.Restore(Service("tls", sharingKey: "k", ports: [new ServicePort(443)]), [Ip("10.0.0.3")]).Addresses.Single().Shared.Should().BeTrue();

        engine.Release(new ServiceKey("default", "web")).Should().BeEmpty();
        engine.Allocate(Service("dns", sharingKey: "k", ports: [new ServicePort(53, "UDP")])).Ips().Should().Equal("10.0.0.3");
    }

    [Fact]
    public void Restoring_an_invalid_request_keeps_its_addresses_and_rejects()
    {
        var engine = Engine(Wide);

        var outcome = engine.Restore(Service("a", addresses: "nonsense"), [Ip("10.0.0.9")]);

        outcome.Status.Should().Be(AllocationStatus.Rejected);
        outcome.Ips().Should().Equal("10.0.0.9");
        engine.Allocate(Service("b", addresses: "10.0.0.9")).Failure!.Reason.Should().Be(FailureReason.AddressInUse);
    }

    [Fact]
    public void A_restarted_engine_continues_exactly_like_the_original()
    {
        var groups = new[] { Wide };
        var original = Engine(groups);
        for (var i = 0; i < 30; i++) { original.Allocate(Service($"s{i}")); }
        for (var i = 0; i < 30; i += 3) { original.Release(new ServiceKey("default", $"s{i}")); }

        var restarted = Engine(groups);
        foreach (var (key, addresses) in original.Assignments())
        {
            restarted.Restore(Service(key.Name), addresses);
        }

        restarted.Assignments().Should().BeEquivalentTo(original.Assignments(), o => o.WithStrictOrdering());
        for (var i = 100; i < 115; i++)
        {
            restarted.Allocate(Service($"s{i}")).Ips().Should().Equal(original.Allocate(Service($"s{i}")).Ips());
        }
    }
}
