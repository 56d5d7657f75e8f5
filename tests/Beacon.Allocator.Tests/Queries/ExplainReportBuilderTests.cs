using Beacon.Allocator.Mapping;
using Beacon.Allocator.Queries;
using Beacon.Allocator.Reconciling;
using Beacon.Contracts;
using Beacon.Kube.Models;
using static Beacon.Allocator.Tests.KubeObjects;
using KubeService = Beacon.Kube.Models.Service;
using ServiceKey = Beacon.Contracts.ServiceKey;

namespace Beacon.Allocator.Tests.Queries;

/// <summary>beaconctl explain's wording: each reason a user can meet, in the Allocator's plain words.</summary>
public sealed class ExplainReportBuilderTests
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], serveUnclassed: true);

    [Fact]
    public void An_allocated_service_announced_by_nodes_names_them()
    {
        var reply = Explain(Allocated("web", policy: null), announcers: ["node-b"], agents: [Agent("node-b", "198.18.10.12/24")]);

        reply.State.Should().Be("Allocated");
        reply.Explanation.Should().Equal("It has 198.18.10.200 from ServiceGroup lan.", "Announced by node-b.");
    }

    [Fact]
    public void Without_heartbeats_nobody_can_announce()
    {
        var reply = Explain(Allocated("web", policy: null), announcers: [], agents: []);

        reply.Explanation[1].Should().StartWith("No node announces it: no node agent is alive");
    }

    [Fact]
    public void Local_policy_without_ready_endpoints_is_named_as_the_reason()
    {
        var reply = Explain(Allocated("web", policy: "Local"), announcers: [], agents: [Agent("node-a", "198.18.10.11/24")], ready: []);

        reply.Explanation[1].Should().Contain("externalTrafficPolicy is Local and no node has a ready endpoint");
    }

    [Fact]
    public void Agents_that_may_not_own_addresses_are_listed_with_their_link()
    {
        var reply = Explain(Allocated("web", policy: null), announcers: [], agents: [Agent("node-a", "198.18.10.11/24", candidate: false, up: false)]);

        reply.Explanation[1].Should().Contain("none may own addresses (node-a: link down");
    }

    [Fact]
    public void An_address_in_an_agents_lan_subnet_is_explained_as_layer_2()
    {
        var reply = Explain(Allocated("web", policy: null), announcers: [], agents: [Agent("node-a", "198.18.10.11/24"), Agent("node-z", "10.0.0.5/24")]);

        reply.Explanation[1].Should().Be("198.18.10.200 is in the LAN subnet of node-a: one of them should own it on its interface (layer 2).");
    }

    [Fact]
    public void A_service_of_another_class_is_not_managed()
    {
        var reply = Explain(Service("other", "demo", loadBalancerClass: "example.com/lb"), announcers: [], agents: []);

        reply.Managed.Should().BeFalse();
        reply.Explanation.Should().ContainSingle().Which.Should().Contain("'example.com/lb' is not served by this Allocator");
    }

    [Fact]
    public void A_missing_service_is_not_found()
    {
        var reply = ExplainReportBuilder.Build(View([], [], [], []), new ServiceKey("demo", "ghost"));

        reply.Found.Should().BeFalse();
        reply.State.Should().Be("NotFound");
    }

    private static ExplainQueryReply Explain(KubeService service, string[] announcers, NodeHeartbeat[] agents, string[]? ready = null) =>
        ExplainReportBuilder.Build(View([service], announcers, agents, ready ?? ["node-a", "node-b"]), new ServiceKey("demo", service.Metadata.Name!));

    private static AllocatorView View(KubeService[] services, string[] announcers, NodeHeartbeat[] agents, string[] ready) =>
        new(services, [Group("lan", "198.18.10.0/24", "198.18.10.200-198.18.10.219")], Classes, _ => null, _ => announcers, _ => ready, agents);

    private static KubeService Allocated(string name, string? policy)
    {
        var service = WithStatus(Service(name, "demo", Annotations((BeaconAnnotations.AllocatedFrom, "lan")), policy: policy), "198.18.10.200");
        service.Status!.Conditions = [new Condition { Type = BeaconAnnotations.ConditionType, Status = "True", Reason = "Allocated", Message = "Assigned" }];
        return service;
    }

    private static NodeHeartbeat Agent(string node, string subnet, bool candidate = true, bool up = true) =>
        new(node, "eth0", [subnet], new LinkState(up, up ? "up" : "down", up), new Dictionary<string, string>(), candidate, DateTimeOffset.UnixEpoch, "s");
}
