namespace Beacon.Lab.Tests.Peers;

/// <summary>A MetalLB BGP user's manifests as written for MetalLB (and one OpenELB user's peer), addresses adapted to the lab.</summary>
internal static class PeersLabManifests
{
    /// <summary>The one node, labelled so the peers' node selectors choose it.</summary>
    public const string Node = """
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

    /// <summary>
    /// A routed pool advertised over BGP with a <c>Community</c> alias, a large community and local-pref, a Service in
    /// it, and a layer-2 pool on the node's LAN with a Service the NodeAgent answers for.
    /// </summary>
    public const string Services = """
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
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: { name: lan, namespace: metallb-system }
        spec:
          addresses: [198.18.0.200/32]
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: { name: lan, namespace: metallb-system }
        spec:
          ipAddressPools: [lan]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: intranet
          namespace: demo
          annotations: { metallb.universe.tf/address-pool: lan }
        spec:
          type: LoadBalancer
          ports:
            - { name: http, port: 80, protocol: TCP }
        """;

    /// <summary>A MetalLB BGPPeer to the lab router (iBGP, so local-pref crosses) with a fast BFD profile.</summary>
    public const string MetalLbPeer = """
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

    /// <summary>
    /// The same router as an OpenELB user writes it: the nodes' AS in the <c>default</c> BgpConf, the peer in a BgpPeer,
    /// and a BGP Eip with a Service naming it by OpenELB's annotations (OpenELB advertises a BGP Eip to every BgpPeer;
    /// MetalLB's advertisements go to MetalLB's peers only).
    /// </summary>
    public const string OpenElbPeer = """
        apiVersion: network.kubesphere.io/v1alpha2
        kind: BgpConf
        metadata: { name: default }
        spec:
          as: 65000
        ---
        apiVersion: network.kubesphere.io/v1alpha2
        kind: BgpPeer
        metadata: { name: openelb-router }
        spec:
          conf:
            peerAs: 65000
            neighborAddress: 198.18.0.1
          nodeSelector:
            matchLabels: { zone: a }
        ---
        apiVersion: network.kubesphere.io/v1alpha2
        kind: Eip
        metadata: { name: bgp-eip }
        spec:
          address: 198.19.30.1-198.19.30.5
          protocol: bgp
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: shop
          namespace: demo
          annotations:
            lb.kubesphere.io/v1alpha1: openelb
            eip.openelb.kubesphere.io/v1alpha2: bgp-eip
        spec:
          type: LoadBalancer
          ports:
            - { name: http, port: 80, protocol: TCP }
        """;

    /// <summary>
    /// A MetalLB BGPPeer with every session field gobgpd takes: an inline password (the node reads it from its secret
    /// files), a router on TCP port 1179, and timers (<c>HOLD</c>/<c>KEEPALIVE</c> replaced by the test).
    /// </summary>
    public const string MetalLbPeerWithPassword = """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: { name: router-md5, namespace: metallb-system }
        spec:
          myASN: 65000
          peerASN: 65000
          peerAddress: 198.18.0.1
          peerPort: 1179
          password: lab-s3cret
          holdTime: HOLD
          keepaliveTime: KEEPALIVE
        """;
}
