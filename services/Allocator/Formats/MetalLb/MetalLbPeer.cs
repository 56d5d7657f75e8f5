using Beacon.Ipam;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>A BGPPeer (or a legacy ConfigMap peers entry), as written.</summary>
internal sealed record MetalLbPeer(
    MetalLbDeclaration Declared,
    string Name,
    DateTimeOffset? CreatedAt,
    long? MyAsn,
    long? PeerAsn,
    string? DynamicAsn,
    string? PeerAddress,
    long? PeerPort,
    string? SourceAddress,
    string? HoldTime,
    string? KeepaliveTime,
    bool EbgpMultiHop,
    string? Vrf,
    string? Password,
    string? PasswordSecret,
    string? BfdProfile,
    IReadOnlyList<LabelSelector> NodeSelectors);
