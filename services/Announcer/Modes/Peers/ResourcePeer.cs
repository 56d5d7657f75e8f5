using Beacon.Contracts;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>
/// A BGP session this node must run because a resource (MetalLB BGPPeer, OpenELB BgpPeer) asks for it and its node
/// selectors match this node, with the password read from this node's secret files (null: the session has none).
/// </summary>
public sealed record ResourcePeer(BgpPeerConfig Config, string? Password)
{
    public string Name => Config.Name;

    public bool IsIPv6 => Config.PeerAddress.Contains(':', StringComparison.Ordinal);
}
