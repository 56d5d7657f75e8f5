namespace Beacon.Contracts;

/// <summary>
/// One BGP session as configured by a resource (MetalLB BGPPeer). Passwords never travel on the bus: an inline password
/// is flagged, a Secret is named, and the node's routing daemon configuration supplies the value.
/// </summary>
public sealed record BgpPeerConfig(
    string Name,
    uint MyAsn,
    uint PeerAsn,
    string PeerAddress,
    int? PeerPort,
    string? SourceAddress,
    string? HoldTime,
    string? KeepaliveTime,
    bool EbgpMultiHop,
    string? Vrf,
    bool HasInlinePassword,
    string? PasswordSecret,
    BfdProfileConfig? Bfd,
    IReadOnlyList<NodeSelector> NodeSelectors);
