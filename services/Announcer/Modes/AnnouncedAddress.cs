using System.Net;
using Beacon.Announcer.Modes.Peers;

namespace Beacon.Announcer.Modes;

/// <summary>One address this node must announce.</summary>
/// <param name="Service">The Service it belongs to, <c>namespace/name</c> (for logs and reports only).</param>
/// <param name="Address">The address itself.</param>
/// <param name="AggregationPrefixLength">
/// The ServiceGroup's <c>aggregation</c>: routing modes announce the covering prefix of this length instead of a host
/// route (null: <c>/32</c> or <c>/128</c>).
/// </param>
/// <param name="Interface">Where the node plumbed it (<c>kube-lb0</c> or its local interface).</param>
/// <param name="Attributes">BGP attributes from the Announcer's options; ignored by the l2 mode.</param>
/// <param name="ToPeers">The resource peers this address is advertised to, with their attributes (empty: only the
/// daemon's own, hand-written sessions carry it).</param>
public sealed record AnnouncedAddress(
    string Service,
    IPAddress Address,
    int? AggregationPrefixLength,
    AddressKind Kind,
    string Interface,
    BgpAttributes Attributes,
    IReadOnlyList<PeerAdvertisement>? ToPeers = null)
{
    public IReadOnlyList<PeerAdvertisement> Advertisements => ToPeers ?? [];

    public int HostPrefixLength => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
}
