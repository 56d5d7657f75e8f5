using Beacon.Ipam;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

public sealed class SharingTests
{
    private static readonly ServicePort Http = new(80);
    private static readonly ServicePort Https = new(443);
    private static readonly ServicePort Dns = new(53, "UDP");
    private static readonly ServicePort DnsTcp = new(53, "TCP");

    private static AddressAllocator NewEngine() => Engine(V4Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));

    [Fact]
    public void Same_key_and_disjoint_ports_share_the_same_address_automatically()
    {
        var engine = NewEngine();

        var web = engine.Allocate(Service("web", sharingKey: "k", ports: [Http]));
        var tls = engine.Allocate(Service("tls", sharingKey: "k", ports: [Https]));

        tls.Ips().Should().Equal(web.Ips());
        tls.Addresses.Single().Shared.Should().BeTrue();
        engine.HoldersOf(Ip("10.0.0.1")).Should().HaveCount(2);
    }

    [Fact]
    public void Same_port_number_with_another_protocol_is_not_an_overlap()
    {
        var engine = NewEngine();
        engine.Allocate(Service("udp", sharingKey: "dns", ports: [Dns]));

        engine.Allocate(Service("tcp", sharingKey: "dns", ports: [DnsTcp])).Ips().Should().Equal("10.0.0.1");
    }

    [Fact]
    public void Overlapping_port_on_a_requested_shared_address_is_refused_naming_the_other_service()
    {
        var engine = NewEngine();
        engine.Allocate(Service("web", sharingKey: "k", ports: [Http], addresses: "10.0.0.5"));

        var outcome = engine.Allocate(Service("web2", sharingKey: "k", ports: [Http, Https], addresses: "10.0.0.5"));

        outcome.Status.Should().Be(AllocationStatus.Pending);
        outcome.Failure!.Reason.Should().Be(FailureReason.SharingConflict);
        outcome.Failure.Message.Should().Be("port 80/TCP is already used on this address by default/web");
        outcome.Failure.ConflictingServices.Should().Equal(new ServiceKey("default", "web"));
    }

    [Fact]
    public void Overlapping_ports_without_a_requested_address_get_a_different_address()
    {
        var engine = NewEngine();
        engine.Allocate(Service("web", sharingKey: "k", ports: [Http]));

        engine.Allocate(Service("web2", sharingKey: "k", ports: [Http])).Ips().Should().Equal("10.0.0.2");
    }

    [Theory]
    [InlineData(null, "k", "this Service has no sharing key")]
    [InlineData("k", null, "default/first has no sharing key")]
    [InlineData("other", "k", "with sharing key 'k', not 'other'")]
    public void Different_or_missing_sharing_keys_never_share(string? key, string? firstKey, string message)
    {
        var engine = NewEngine();
        engine.Allocate(Service("first", sharingKey: firstKey, ports: [Http], addresses: "10.0.0.3"));

        var outcome = engine.Allocate(Service("second", sharingKey: key, ports: [Https], addresses: "10.0.0.3"));

        outcome.Failure!.Reason.Should().Be(FailureReason.AddressInUse);
        outcome.Failure.Message.Should().Contain(message);
    }

    [Fact]
    public void Local_traffic_policy_shares_only_with_the_same_pod_selector()
    {
        var engine = NewEngine();
        var app = new Dictionary<string, string> { ["app"] = "shop" };
        engine.Allocate(Service("web", sharingKey: "k", ports: [Http], trafficPolicy: ExternalTrafficPolicy.Local, selector: app, addresses: "10.0.0.4"));

        engine.Allocate(Service("tls", sharingKey: "k", ports: [Https], selector: app, addresses: "10.0.0.4"))
            .Status.Should().Be(AllocationStatus.Allocated);

        var other = engine.Allocate(Service("api", sharingKey: "k", ports: [Dns], selector: new Dictionary<string, string> { ["app"] = "api" }, addresses: "10.0.0.4"));
        other.Failure!.Reason.Should().Be(FailureReason.SharingConflict);
        other.Failure.Message.Should().Contain("externalTrafficPolicy: Local").And.Contain("default/web").And.Contain("app=shop");
    }

    [Fact]
    public void A_shared_address_is_freed_only_when_the_last_sharer_goes()
    {
        var engine = NewEngine();
        engine.Allocate(Service("web", sharingKey: "k", ports: [Http]));
        engine.Allocate(Service("tls", sharingKey: "k", ports: [Https]));

        engine.Release(new ServiceKey("default", "web")).Should().BeEmpty();
        engine.Allocate(Service("loner")).Ips().Should().Equal("10.0.0.2");

        engine.Release(new ServiceKey("default", "tls")).Select(a => a.ToString()).Should().Equal("10.0.0.1");
        engine.Allocate(Service("next")).Ips().Should().Equal("10.0.0.1");
    }

    [Fact]
    public void Changing_ports_to_clash_with_a_sharer_moves_only_the_changed_service()
    {
        var engine = NewEngine();
        engine.Allocate(Service("web", sharingKey: "k", ports: [Http]));
        engine.Allocate(Service("tls", sharingKey: "k", ports: [Https]));

        var moved = engine.Allocate(Service("tls", sharingKey: "k", ports: [Https, Http]));

        moved.Ips().Should().Equal("10.0.0.2");
        engine.AddressesOf(new ServiceKey("default", "web")).Single().Address.ToString().Should().Be("10.0.0.1");
    }

    // Regression (AllocatorProperties replay (14802883769065053513,2055683866889940563,70)): a shared address made
    // stale by a group change was kept by a Service whose own update then made it unshareable, so two incompatible
    // Services held fd00::1.
    [Fact]
    public void A_stale_shared_address_is_given_back_when_the_holders_own_change_makes_it_unshareable()
    {
        var engine = Engine(DualGroup("default", "10.0.0.0/24", "10.0.0.1-10.0.0.4", "fd00::/64", "fd00::1-fd00::3"));
        engine.Allocate(Service("svc3", sharingKey: "k2", ports: [Http], policy: IpFamilyPolicy.RequireDualStack, selector: App("b")))
            .Ips().Should().Equal("10.0.0.1", "fd00::1");
        engine.Allocate(Service("svc2", sharingKey: "k2", ports: [Dns], families: [IpFamily.IPv6, IpFamily.IPv4], selector: App("b")))
            .Ips().Should().Equal("fd00::1");

        // The IPv6 pool shrinks past fd00::1: both holders keep it, stale (nothing is renumbered).
        engine.SetGroups([DualGroup("default", "10.0.0.0/24", "10.0.0.1-10.0.0.2", "fd00::/64", "fd00::2")]).Stale
            .Should().Equal(new ServiceKey("default", "svc2"), new ServiceKey("default", "svc3"));

        // svc3 drops its sharing key (same target: group, addresses, families, policy unchanged).
        var outcome = engine.Allocate(Service("svc3", ports: [Http, Https], policy: IpFamilyPolicy.RequireDualStack, selector: App("a")));

        engine.HoldersOf(Ip("fd00::1")).Should().Equal(new ServiceKey("default", "svc2"));
        outcome.Status.Should().Be(AllocationStatus.Allocated);
        outcome.Ips().Should().Equal("10.0.0.1", "fd00::2");
    }

    [Fact]
    public void A_stale_shared_address_is_given_back_when_a_port_of_the_update_clashes()
    {
        var engine = Engine(V4Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.9"));
        engine.Allocate(Service("web", sharingKey: "k", ports: [Http])).Ips().Should().Equal("10.0.0.1");
        engine.Allocate(Service("tls", sharingKey: "k", ports: [Https])).Ips().Should().Equal("10.0.0.1");
        engine.SetGroups([V4Group("default", "10.0.0.0/24", "10.0.0.5-10.0.0.9")]).Stale.Should().HaveCount(2);

        var outcome = engine.Allocate(Service("tls", sharingKey: "k", ports: [Http, Https]));

        engine.HoldersOf(Ip("10.0.0.1")).Should().Equal(new ServiceKey("default", "web"));
        outcome.Ips().Should().Equal("10.0.0.5");
        engine.StaleServices().Select(s => s.Service).Should().Equal(new ServiceKey("default", "web"));
    }

    private static Dictionary<string, string> App(string app) => new() { ["app"] = app };
}
