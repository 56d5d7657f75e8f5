using Beacon.Contracts;

namespace Beacon.Allocator.Formats;

/// <summary>A valid BGP peer a format translated, with the resource that declared it (null when unknown).</summary>
internal sealed record BgpPeerCandidate(BgpPeerConfig Peer, ForeignResource? Origin)
{
    /// <summary>How problems name the declaring resource.</summary>
    public string Declarer => Origin?.Id ?? $"BGP peer {Peer.Name}";

    /// <summary>What makes two peers one daemon session: address (canonical), port and vrf.</summary>
    public string Session =>
        $"{(System.Net.IPAddress.TryParse(Peer.PeerAddress, out var address) ? address.ToString() : Peer.PeerAddress)} port {Peer.PeerPort ?? 179} vrf '{Peer.Vrf ?? ""}'";
}
