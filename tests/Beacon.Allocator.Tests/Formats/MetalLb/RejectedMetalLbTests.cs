using Beacon.Allocator.Mapping;
using Beacon.Allocator.Queries;
using Beacon.Contracts;
using static Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>A MetalLB object Beacon does not use shows up in beaconctl status, named by kind and file:line.</summary>
public sealed class RejectedMetalLbTests
{
    [Fact]
    public void Status_names_rejected_MetalLB_pools_and_resources_with_kind_and_line()
    {
        var (snapshot, _) = Read(
            ("a-pools.yaml", Pool("newer", "10.0.0.128/25") + Pool("broken", "'10.9.0.9-10.9.0.1'")),
            ("b-peer.yaml", "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: { name: p, namespace: metallb-system }\nspec: { myASN: 1, peerASN: 2, peerAddress: 10.0.0.1, bfdProfile: none }\n"));
        var view = new AllocatorView([], [Group("purelb", "10.0.0.0/24", "10.0.0.0-10.0.0.255")], new LoadBalancerClassFilter("beacon.io/beacon", [], true),
            _ => null, _ => [], _ => [], [], snapshot.ForeignResources);

        var rejected = StatusReportBuilder.Build(view, new StatusQueryRequest(null), "alloc", DateTimeOffset.UnixEpoch).RejectedGroups!;

        rejected.Select(r => r.Group).Should().Equal("BGPPeer metallb-system/p", "IPAddressPool metallb-system/broken", "IPAddressPool newer");
        rejected.Single(r => r.Group == "IPAddressPool newer").Reasons.Single().Should().StartWith("a-pools.yaml:1: ").And.Contain("ServiceGroup 'purelb'");
        rejected.Single(r => r.Group == "IPAddressPool metallb-system/broken").Reasons.Single().Should().StartWith("a-pools.yaml:16: addresses[0]: ").And.Contain("reversed");
        rejected.Single(r => r.Group == "BGPPeer metallb-system/p").Reasons.Single().Should().Be("b-peer.yaml:4: bfdProfile: no BFDProfile 'none'");
    }
}
