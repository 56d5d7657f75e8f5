using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Peers;
using Beacon.Contracts;

namespace Beacon.Announcer.Service;

/// <summary>
/// Turns what the node carries into the mode's input. Which addresses to announce comes from the node's own
/// announcements (the NodeAgent decided and plumbed them); the desired state adds what the announcement lacks: the
/// ServiceGroup's aggregation, for addresses seeded from the kernel the Service, and from resource advertisements
/// (MetalLB BGPAdvertisement, OpenELB Eip) what each address carries to which peer; the cluster's peers (published on
/// their own) which sessions this node runs. Selectors are evaluated here, against this node's labels. Pure apart from reading password files.
/// </summary>
public static class AnnouncementSetBuilder
{
    public static AnnouncementSet Build(
        HeldAddresses held, IReadOnlyDictionary<ServiceKey, AllocationChanged> services, BgpAttributes attributes) =>
        Build(held, services, attributes, PeerContext.Default);

    public static AnnouncementSet Build(
        HeldAddresses held, IReadOnlyDictionary<ServiceKey, AllocationChanged> services, BgpAttributes attributes, PeerContext context) =>
        Build(held, services, attributes, context, null);

    /// <param name="clusterPeers">The cluster's BGP peers as the Allocator last published them (beacon.v1.bgp.peers): once
    /// known, every one whose node selectors match this node is a session, with or without Services, and no other.
    /// Null while unknown (not read yet, or an Allocator that does not publish them): then the sessions are the peers
    /// the advertisements of the held Services name, as before.</param>
    public static AnnouncementSet Build(
        HeldAddresses held, IReadOnlyDictionary<ServiceKey, AllocationChanged> services, BgpAttributes attributes, PeerContext context,
        IReadOnlyList<BgpPeerConfig>? clusterPeers)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(context);
        var byAddress = services.Values
            .SelectMany(s => s.Addresses.Select(a => (Change: s, Allocated: a)))
            .GroupBy(x => Canonical(x.Allocated.Address), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Change.Service).First(), StringComparer.Ordinal);
        var (peers, problems) = Peers(services.Values, context, clusterPeers);
        var names = peers.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var addresses = new List<AnnouncedAddress>();
        foreach (var address in held.ByAddress.Values.OrderBy(a => a.Address, StringComparer.Ordinal))
        {
            if (!IPAddress.TryParse(address.Address, out var ip))
            {
                continue;
            }

            byAddress.TryGetValue(Canonical(address.Address), out var allocation);
            var policy = allocation.Change?.Announce;
            var advertisements = policy?.Bgp.Where(b => NodeSelectorMatch.Any(b.NodeSelectors, context.NodeLabels)).ToList() ?? [];
            if (policy is not null && (!policy.Announced || (policy.Bgp.Count > 0 && advertisements.Count == 0)))
            {
                // Nothing advertises it, or no BGP advertisement selects this node: this node does not route it.
                continue;
            }

            var kind = address.Role == AnnouncementRole.Owner ? AddressKind.LocalOwner : AddressKind.KubeLb0;
            var service = address.Service ?? allocation.Change?.Service;
            addresses.Add(new AnnouncedAddress(
                service?.ToString() ?? "unknown",
                ip,
                allocation.Allocated?.AggregationPrefixLength,
                kind,
                address.Interface,
                attributes,
                ToPeers(advertisements, names, attributes) is { Count: > 0 } toPeers ? toPeers : null));
        }

        return new AnnouncementSet(addresses, peers, problems);
    }

    /// <summary>
    /// The sessions this node runs, by name: every cluster peer whose selectors select this node; while the cluster's
    /// set is unknown, every peer an advertisement selecting this node names and whose own selectors select it.
    /// </summary>
    private static (IReadOnlyList<ResourcePeer> Peers, IReadOnlyList<string> Problems) Peers(
        IEnumerable<AllocationChanged> changes, PeerContext context, IReadOnlyList<BgpPeerConfig>? clusterPeers)
    {
        var wanted = new SortedDictionary<string, BgpPeerConfig>(StringComparer.Ordinal);
        var candidates = clusterPeers
            ?? changes.SelectMany(c => c.Announce?.Bgp ?? []).Where(b => NodeSelectorMatch.Any(b.NodeSelectors, context.NodeLabels)).SelectMany(b => b.Peers);
        foreach (var peer in candidates.Where(p => NodeSelectorMatch.Any(p.NodeSelectors, context.NodeLabels)))
        {
            wanted.TryAdd(peer.Name, peer);
        }

        var peers = new List<ResourcePeer>();
        var problems = new List<string>();
        foreach (var peer in wanted.Values)
        {
            if (PeerValidation.Problem(peer) is { } invalid)
            {
                problems.Add(invalid + ": the session is not configured");
                continue;
            }

            var password = context.Passwords.Read(peer, out var problem);
            if (problem is not null)
            {
                problems.Add(problem);
                continue;
            }

            peers.Add(new ResourcePeer(peer, password));
        }

        return (peers, problems);
    }

    private static List<PeerAdvertisement> ToPeers(IEnumerable<BgpAnnouncement> advertisements, IReadOnlySet<string> peers, BgpAttributes attributes) =>
        advertisements
            .SelectMany(b => b.Peers.Where(p => peers.Contains(p.Name)).Select(p => (Peer: p.Name, Attributes: AttributesOf(b))))
            .GroupBy(x => x.Peer, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PeerAdvertisement(g.Key, g.Select(x => x.Attributes).Aggregate(attributes, (a, b) => a.Merge(b))))
            .ToList();

    /// <summary>An advertisement's communities ("AA:NN", "large:AA:BB:CC", aliases resolved by the Allocator) and local-pref.</summary>
    public static BgpAttributes AttributesOf(BgpAnnouncement advertisement)
    {
        ArgumentNullException.ThrowIfNull(advertisement);
        const string large = "large:";
        return new BgpAttributes(
            [.. advertisement.Communities.Where(c => !c.StartsWith(large, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. advertisement.Communities.Where(c => c.StartsWith(large, StringComparison.OrdinalIgnoreCase)).Select(c => c[large.Length..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            advertisement.LocalPref);
    }

    private static string Canonical(string address) => IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;
}
