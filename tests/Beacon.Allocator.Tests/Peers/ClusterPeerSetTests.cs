using Beacon.Allocator.Tests.Formats.MetalLb;
using Beacon.Contracts;

namespace Beacon.Allocator.Tests.Peers;

/// <summary>
/// The cluster's BGP peers as the Allocator publishes them for the nodes: every valid peer of every format, whether or
/// not an advertisement or a Service uses it, sorted by name, never a rejected one.
/// </summary>
public sealed class ClusterPeerSetTests
{
    [Fact]
    public void Every_valid_peer_of_every_format_is_in_the_set_without_any_pool_advertisement_or_Service()
    {
        var translation = MetalLbManifests.Translate("""
            apiVersion: metallb.io/v1beta1
            kind: BFDProfile
            metadata: { name: fast, namespace: metallb-system }
            spec: { receiveInterval: 100 }
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: { name: zeta, namespace: metallb-system }
            spec: { myASN: 65000, peerASN: 65001, peerAddress: 198.18.0.1, bfdProfile: fast, nodeSelectors: [ { matchLabels: { zone: a } } ] }
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: { name: broken, namespace: metallb-system }
            spec: { myASN: 65000, peerASN: 65001, peerAddress: not-an-ip }
            ---
            apiVersion: network.kubesphere.io/v1alpha2
            kind: BgpConf
            metadata: { name: default }
            spec: { as: 65000 }
            ---
            apiVersion: network.kubesphere.io/v1alpha2
            kind: BgpPeer
            metadata: { name: alpha }
            spec: { conf: { peerAs: 65002, neighborAddress: 198.18.0.2 } }
            """);

        translation.Pools.Should().BeEmpty();
        translation.Peers.Select(p => p.Name).Should().Equal("alpha", "zeta");
        var zeta = translation.Peers[1];
        zeta.Bfd!.Name.Should().Be("fast");
        zeta.NodeSelectors.Should().ContainSingle().Which.MatchLabels.Should().Contain("zone", "a");
        translation.Problems.Should().Contain(p => p.ToString().Contains("broken", StringComparison.Ordinal));
    }

    [Fact]
    public void A_peer_with_a_password_travels_without_it()
    {
        var translation = MetalLbManifests.Translate("""
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: { name: secret, namespace: metallb-system }
            spec: { myASN: 65000, peerASN: 65001, peerAddress: 198.18.0.1, password: hunter2 }
            """);

        var peer = translation.Peers.Should().ContainSingle().Subject;
        peer.HasInlinePassword.Should().BeTrue();
        System.Text.Json.JsonSerializer.Serialize(new BgpPeerSet(translation.Peers), ContractsJsonContext.Default.BgpPeerSet).Should().NotContain("hunter2");
    }
}
