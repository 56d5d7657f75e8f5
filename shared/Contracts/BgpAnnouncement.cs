namespace Beacon.Contracts;

/// <param name="Source">The resource it came from ("BGPAdvertisement metallb-system/upstream").</param>
/// <param name="AggregationLength">IPv4 prefix length to advertise (32 when unset).</param>
/// <param name="AggregationLengthV6">IPv6 prefix length to advertise (128 when unset).</param>
/// <param name="LocalPref">BGP LOCAL_PREF attribute (iBGP only); null when unset.</param>
/// <param name="Communities">Standard ("65535:65282") or large ("large:1:2:3") communities, references already resolved.</param>
/// <param name="Peers">Peers to advertise to, resolved; empty when no peer is configured.</param>
/// <param name="NodeSelectors">Nodes that advertise: any selector matching; empty means every node.</param>
public sealed record BgpAnnouncement(
    string Source,
    int? AggregationLength,
    int? AggregationLengthV6,
    uint? LocalPref,
    IReadOnlyList<string> Communities,
    IReadOnlyList<BgpPeerConfig> Peers,
    IReadOnlyList<NodeSelector> NodeSelectors);
