namespace Beacon.Lab.Tests.Peers;

/// <summary>
/// As in MetalLB, a BGPPeer's session comes up as soon as the peer exists: with no pool, advertisement or Service at
/// all, a BGPPeer dropped into the standalone manifest directory becomes a session the router sees Established with BFD
/// up (the Allocator publishes the cluster's peers on their own, the Announcer renders every peer selecting its node),
/// and deleting the BGPPeer removes the session.
/// </summary>
public sealed class BirdPeerWithoutServiceLabTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    private const string NodeOnly = """
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
            - matchLabels: { zone: a }
        """;

    [Fact]
    public async Task A_BGPPeer_with_no_Service_at_all_brings_up_its_session_with_BFD_and_goes_on_delete()
    {
        await using var lab = await PeersLab.StartAsync(NodeOnly);
        (await lab.RouterBird.CommandAsync("show protocols")).Should().NotContain("Established", "the node's own BIRD config has no peer");

        await lab.WriteManifestAsync("10-peer.yaml", Peer);

        await lab.WaitForRouterAsync("show protocols", t => Line(t, "node1").Contains("Established", StringComparison.Ordinal), "router session to node1 Established", Converge);
        await lab.WaitForRouterAsync("show bfd sessions", t => Line(t, "198.18.0.11").Contains(" Up ", StringComparison.Ordinal), "BFD session with node1 Up", Converge);
        (await lab.RouterBird.CommandAsync("show route protocol node1")).Should().NotContain("198.19.", "no Service: the session carries no route");

        lab.DeleteManifest("10-peer.yaml");

        await lab.WaitForRouterAsync("show protocols", t => !Line(t, "node1").Contains("Established", StringComparison.Ordinal), "router session to node1 down", Converge);
        (await File.ReadAllTextAsync(lab.NodeBird.IncludePath)).Should().NotContain("protocol bgp", "the deleted peer's session is removed from the node's BIRD");
    }

    private static string Line(string text, string containing) =>
        text.Split('\n').FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal)) ?? "";
}
