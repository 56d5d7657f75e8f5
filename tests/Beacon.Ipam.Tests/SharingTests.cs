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
}
