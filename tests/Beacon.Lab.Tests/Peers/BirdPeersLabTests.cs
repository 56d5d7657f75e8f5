using System.Text.RegularExpressions;

namespace Beacon.Lab.Tests.Peers;

/// <summary>
/// A MetalLB BGP user's manifests, unchanged, give sessions without any BIRD syntax: a BGPPeer dropped into the
/// standalone manifest directory becomes a session the router sees Established with BFD up, the BGPAdvertisement's
/// community (a Community alias) and local-pref arrive on the router's received route, and deleting the BGPPeer removes the session.
/// </summary>
public sealed partial class BirdPeersLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    private const string Cluster = """
        apiVersion: v1
        kind: Node
        metadata:
          name: node1
          labels: { zone: a }
        status:
          addresses:
            - { type: InternalIP, address: 198.18.0.11 }
          conditions:
            - { type: Ready, status: "True" }
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: { name: routed, namespace: metallb-system }
        spec:
          addresses: [198.19.20.0/28]
        ---
        apiVersion: metallb.io/v1beta1
        kind: Community
        metadata: { name: communities, namespace: metallb-system }
        spec:
          communities:
            - { name: edge, value: "65000:300" }
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: { name: upstream, namespace: metallb-system }
        spec:
          ipAddressPools: [routed]
          communities: [edge, "large:65000:7:8"]
          localPref: 250
          nodeSelectors:
            - matchLabels: { zone: a }
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: demo
          annotations: { metallb.universe.tf/address-pool: routed }
        spec:
          type: LoadBalancer
          ports:
            - { name: http, port: 80, protocol: TCP }
        """;

    private const string Peer = """
        apiVersion: metallb.io/v1beta1
        kind: BFDProfile
        metadata: { name: fast, namespace: metallb-system }
        spec: { receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3 }
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: { name: router, namespace: metallb-system }
        spec:
          myASN: 65000
          peerASN: 65000
          peerAddress: 198.18.0.1
          holdTime: 3s
          keepaliveTime: 1s
          bfdProfile: fast
          nodeSelectors:
            - matchExpressions: [ { key: zone, operator: In, values: [a] } ]
        """;

    [Fact]
    public async Task A_BGPPeer_resource_brings_up_a_session_with_BFD_carries_the_advertisements_community_and_local_pref_and_goes_on_delete()
    {
        await using var lab = await PeersLab.StartAsync(Cluster);
        (await lab.RouterBird.CommandAsync("show protocols")).Should().NotContain("Established", "the node's own BIRD config has no peer");

        await lab.WriteManifestAsync("10-peer.yaml", Peer);

        await lab.WaitForRouterAsync("show protocols", t => Line(t, "node1").Contains("Established", StringComparison.Ordinal), "router session to node1 Established", Converge);
        await lab.WaitForRouterAsync("show bfd sessions", t => t.Contains("198.18.0.11", StringComparison.Ordinal) && Line(t, "198.18.0.11").Contains(" Up ", StringComparison.Ordinal),
            "BFD session with node1 Up", Converge);
        var route = await lab.WaitForRouterAsync("show route all", t => RoutedAddress().IsMatch(t), "a route for the Service's address", Converge);
        route.Should().Contain("BGP.local_pref: 250").And.Contain("BGP.community: (65000,300)").And.Contain("BGP.large_community: (65000, 7, 8)");

        lab.DeleteManifest("10-peer.yaml");

        await lab.WaitForRouterAsync("show protocols", t => !Line(t, "node1").Contains("Established", StringComparison.Ordinal), "router session to node1 down", Converge);
        (await File.ReadAllTextAsync(lab.NodeBird.IncludePath)).Should().NotContain("protocol bgp", "the deleted peer's session is removed from the node's BIRD");
    }

    private static string Line(string text, string containing) =>
        text.Split('\n').FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal)) ?? "";

    [GeneratedRegex(@"198\.19\.20\.\d+/32")]
    private static partial Regex RoutedAddress();
}
