using System.Net;
using Beacon.Contracts;
using Beacon.Ipam;
using IpamSelector = Beacon.Ipam.LabelSelector;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>
/// MetalLB's configuration as Beacon pools: each pool becomes an engine group of the same name (so the
/// metallb.universe.tf/address-pool annotation keeps working), each advertisement and peer becomes the announcement
/// policy of the pools it covers. Follows MetalLB's validation, except that a broken object rejects only itself
/// (MetalLB refuses the whole configuration). Pure.
/// </summary>
internal static class MetalLbTranslator
{
    public static FormatTranslation Translate(MetalLbConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<ForeignProblem>(config.Problems);
        var pools = new List<(MetalLbPool Pool, IReadOnlyList<AddressBlock> Blocks)>();
        foreach (var pool in config.Pools)
        {
            if (Blocks(pool, problems) is { } blocks)
            {
                pools.Add((pool, blocks));
            }
        }

        var peers = Peers(config, problems);
        var layer2 = new Dictionary<string, List<Layer2Announcement>>(StringComparer.Ordinal);
        var bgp = new Dictionary<string, List<BgpAnnouncement>>(StringComparer.Ordinal);
        foreach (var advertisement in config.Layer2)
        {
            var covered = Covered(advertisement.Declared, advertisement.Pools, advertisement.PoolSelectors, pools.Select(p => p.Pool), problems);
            if (covered is null || !ValidSelectors(advertisement.Declared, "nodeSelectors", advertisement.NodeSelectors, problems))
            {
                continue;
            }

            var announcement = new Layer2Announcement(advertisement.Declared.What, advertisement.NodeSelectors.Select(ToContract).ToList(), advertisement.Interfaces);
            foreach (var pool in covered)
            {
                Add(layer2, pool.Name, announcement);
            }
        }

        foreach (var (pool, _) in pools.Where(p => p.Pool.Protocol == "layer2"))
        {
            // Legacy "protocol: layer2": answered for by every node on every interface.
            Add(layer2, pool.Name, new Layer2Announcement(pool.Declared.What, [], []));
        }

        var allBgp = config.Bgp.Concat(config.Pools.SelectMany(p => p.LegacyBgpAdvertisements ?? [])).ToList();
        foreach (var advertisement in allBgp)
        {
            var covered = Covered(advertisement.Declared, advertisement.Pools, advertisement.PoolSelectors, pools.Select(p => p.Pool), problems);
            if (covered is null || !ValidSelectors(advertisement.Declared, "nodeSelectors", advertisement.NodeSelectors, problems))
            {
                continue;
            }

            if (Bgp(advertisement, covered.Select(c => pools.First(p => p.Pool == c)).ToList(), peers, config.Communities, problems) is not { } announcement)
            {
                continue;
            }

            foreach (var pool in covered)
            {
                Add(bgp, pool.Name, announcement);
            }
        }

        var specs = new List<ServiceGroupSpec>();
        var policies = new Dictionary<string, AnnouncementPolicy>(StringComparer.Ordinal);
        foreach (var (pool, blocks) in pools)
        {
            var l2 = layer2.GetValueOrDefault(pool.Name) ?? [];
            var routes = bgp.GetValueOrDefault(pool.Name) ?? [];
            var first = routes.FirstOrDefault();
            PoolSpec ToPool(AddressBlock b) => new(
                b.Subnet.ToString(),
                b.Text,
                first is null ? "default" : $"/{(b.Family == Ipam.IpFamily.IPv4 ? first.AggregationLength ?? 32 : first.AggregationLengthV6 ?? 128)}");
            specs.Add(new ServiceGroupSpec
            {
                Name = pool.Name,
                CreatedAt = pool.CreatedAt,
                V4Pools = blocks.Where(b => b.Family == Ipam.IpFamily.IPv4).Select(ToPool).ToList(),
                V6Pools = blocks.Where(b => b.Family == Ipam.IpFamily.IPv6).Select(ToPool).ToList(),
                AutoAssign = pool.AutoAssign,
                AvoidBuggyIPs = pool.AvoidBuggyIPs,
                Allocation = pool.Allocation,
                Kind = pool.Protocol is null ? MetalLbKinds.IPAddressPool : "MetalLB ConfigMap address-pool",
                Origin = pool.Declared.At(),
            });
            policies[pool.Name] = new AnnouncementPolicy(l2.Count > 0 || routes.Count > 0, l2, routes);
            if (l2.Count == 0 && routes.Count == 0)
            {
                problems.Add(pool.Declared.Problem(string.Empty,
                    "no L2Advertisement or BGPAdvertisement covers this pool: its addresses are allocated but not announced (as in MetalLB)", rejected: false));
            }
        }

        return new FormatTranslation(specs, policies, problems)
        {
            Peers = [.. peers.Values.OrderBy(p => p.Name, StringComparer.Ordinal)],
            PeerOrigins = config.Peers.Where(p => peers.ContainsKey(p.Name)).GroupBy(p => p.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Declared.Resource, StringComparer.Ordinal),
        };
    }

    private static IReadOnlyList<AddressBlock>? Blocks(MetalLbPool pool, List<ForeignProblem> problems)
    {
        var blocks = new List<AddressBlock>();
        var failed = false;
        const string field = "addresses";
        if (pool.Addresses.Count == 0)
        {
            problems.Add(pool.Declared.Problem(field, "has no addresses"));
            return null;
        }

        for (var i = 0; i < pool.Addresses.Count; i++)
        {
            if (!AddressBlock.TryParse(pool.Addresses[i], out var block, out var error))
            {
                problems.Add(pool.Declared.Problem($"{field}[{i}]", error));
                failed = true;
                continue;
            }

            // MetalLB: "CIDR x in pool y overlaps with already defined CIDR z" also within one pool.
            if (blocks.FirstOrDefault(b => b.Range.Overlaps(block.Range)) is { } other)
            {
                problems.Add(pool.Declared.Problem($"{field}[{i}]", $"'{block.Text}' overlaps '{other.Text}' of the same pool"));
                failed = true;
                continue;
            }

            blocks.Add(block);
        }

        if (!failed && pool.Allocation is { } allocation)
        {
            failed |= !ValidSelectors(pool.Declared, "serviceAllocation.namespaceSelectors", allocation.NamespaceSelectors, problems);
            failed |= !ValidSelectors(pool.Declared, "serviceAllocation.serviceSelectors", allocation.ServiceSelectors, problems);
        }

        return failed ? null : blocks;
    }

    /// <summary>The pools an advertisement covers: named ones and selected ones; neither given means every pool.</summary>
    private static List<MetalLbPool>? Covered(MetalLbDeclaration declared, IReadOnlyList<string> names, IReadOnlyList<IpamSelector> selectors,
        IEnumerable<MetalLbPool> valid, List<ForeignProblem> problems)
    {
        if (!ValidSelectors(declared, "ipAddressPoolSelectors", selectors, problems))
        {
            return null;
        }

        var pools = valid.ToList();
        if (names.Count == 0 && selectors.Count == 0)
        {
            return pools;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (!pools.Any(p => p.Name == names[i]))
            {
                problems.Add(declared.Problem($"ipAddressPools[{i}]", $"no valid IPAddressPool '{names[i]}'; nothing is advertised for it", rejected: false));
            }
        }

        return pools.Where(p => names.Contains(p.Name, StringComparer.Ordinal) || selectors.Any(s => s.Matches(p.Labels))).ToList();
    }

    private static BgpAnnouncement? Bgp(MetalLbBgpAdvertisement advertisement, IReadOnlyList<(MetalLbPool Pool, IReadOnlyList<AddressBlock> Blocks)> pools,
        IReadOnlyDictionary<string, BgpPeerConfig> peers, IReadOnlyDictionary<string, string> aliases, List<ForeignProblem> problems)
    {
        var declared = advertisement.Declared;
        var legacy = advertisement.Pools.Count == 1 && declared.Path.Contains("bgp-advertisements", StringComparison.Ordinal);
        string Field(string cr, string old) => legacy ? old : cr;
        var ok = true;
        foreach (var (family, length, field) in new[]
                 {
                     (Ipam.IpFamily.IPv4, advertisement.AggregationLength ?? 32, Field("aggregationLength", "aggregation-length")),
                     (Ipam.IpFamily.IPv6, advertisement.AggregationLengthV6 ?? 128, Field("aggregationLengthV6", "aggregation-length-v6")),
                 })
        {
            if (length < 0 || length > NumericAddress.BitLength(family))
            {
                problems.Add(declared.Problem(field, $"{length} is not a prefix length from 0 to {NumericAddress.BitLength(family)}"));
                ok = false;
                continue;
            }

            // MetalLB: the aggregate may not be broader than the pool's own blocks (it would attract addresses Beacon does not own).
            foreach (var (pool, blocks) in pools)
            {
                foreach (var block in blocks.Where(b => b.Family == family && b.ShortestPrefix() > length))
                {
                    problems.Add(declared.Problem(field,
                        $"invalid aggregation length {length}: '{block.Text}' of pool '{pool.Name}' is more specific than /{length} (an aggregate would announce addresses outside the pool)"));
                    ok = false;
                }
            }
        }

        if (advertisement.LocalPref is < 0 or > uint.MaxValue)
        {
            problems.Add(declared.Problem("localPref", "must be from 0 to 4294967295"));
            ok = false;
        }

        var communities = new List<string>();
        for (var i = 0; i < advertisement.Communities.Count; i++)
        {
            if (BgpCommunity.Resolve(advertisement.Communities[i], aliases, out var error) is { } community)
            {
                communities.Add(community);
            }
            else
            {
                problems.Add(declared.Problem($"communities[{i}]", error));
                ok = false;
            }
        }

        var selected = new List<BgpPeerConfig>();
        for (var i = 0; i < advertisement.Peers.Count; i++)
        {
            if (peers.TryGetValue(advertisement.Peers[i], out var peer))
            {
                selected.Add(peer);
            }
            else
            {
                problems.Add(declared.Problem($"peers[{i}]", $"no valid BGPPeer '{advertisement.Peers[i]}'; the advertisement is not sent to it", rejected: false));
            }
        }

        if (!ok)
        {
            return null;
        }

        return new BgpAnnouncement(
            declared.What,
            advertisement.AggregationLength,
            advertisement.AggregationLengthV6,
            (uint?)advertisement.LocalPref,
            communities,
            advertisement.Peers.Count == 0 ? peers.Values.ToList() : selected,
            advertisement.NodeSelectors.Select(ToContract).ToList());
    }

    /// <summary>Valid peers by name, in declaration order; each broken one is reported and left out.</summary>
    private static IReadOnlyDictionary<string, BgpPeerConfig> Peers(MetalLbConfig config, List<ForeignProblem> problems)
    {
        var peers = new Dictionary<string, BgpPeerConfig>(StringComparer.Ordinal);
        var sessions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var peer in config.Peers)
        {
            var d = peer.Declared;
            var legacy = d.Path.Contains("peers[", StringComparison.Ordinal);
            string Field(string cr, string old) => legacy ? old : cr;
            var errors = new List<ForeignProblem>();
            if (peer.MyAsn is null or < 0 or > uint.MaxValue)
            {
                errors.Add(d.Problem(Field("myASN", "my-asn"), "is required: a number from 0 to 4294967295"));
            }

            if (peer.PeerAsn is null && peer.DynamicAsn is null)
            {
                errors.Add(d.Problem(Field("peerASN", "peer-asn"), "is required (or dynamicASN: internal|external)"));
            }
            else if (peer.PeerAsn is not null && peer.DynamicAsn is not null)
            {
                errors.Add(d.Problem("dynamicASN", "cannot be set together with peerASN"));
            }
            else if (peer.PeerAsn is < 0 or > uint.MaxValue)
            {
                errors.Add(d.Problem(Field("peerASN", "peer-asn"), "must be a number from 0 to 4294967295"));
            }
            else if (peer.DynamicAsn is { } dynamic && dynamic != "internal")
            {
                // internal is exactly peerASN = myASN; the peer AS of an external session is only learnt from its OPEN,
                // which the published peer (one AS number) cannot carry: refused by name rather than rendered as AS 0.
                errors.Add(d.Problem("dynamicASN", dynamic == "external"
                    ? "external is not supported by Beacon: set peerASN to the router's AS"
                    : $"'{dynamic}' is not internal or external"));
            }

            if (!IPAddress.TryParse(peer.PeerAddress ?? string.Empty, out _))
            {
                errors.Add(d.Problem(Field("peerAddress", "peer-address"), $"'{peer.PeerAddress}' is not an IP address"));
            }

            if (peer.SourceAddress is { Length: > 0 } source && !IPAddress.TryParse(source, out _))
            {
                errors.Add(d.Problem(Field("sourceAddress", "source-address"), $"'{source}' is not an IP address"));
            }

            if (peer.PeerPort is < 0 or > 65535)
            {
                errors.Add(d.Problem(Field("peerPort", "peer-port"), "must be a port number"));
            }

            var hold = GoDuration.Parse(peer.HoldTime);
            var keepalive = GoDuration.Parse(peer.KeepaliveTime);
            if (peer.HoldTime is not null && hold is null)
            {
                errors.Add(d.Problem(Field("holdTime", "hold-time"), $"'{peer.HoldTime}' is not a duration (90s, 1m30s)"));
            }
            else if (hold is { } h && h != TimeSpan.Zero && h < TimeSpan.FromSeconds(3))
            {
                errors.Add(d.Problem(Field("holdTime", "hold-time"), $"invalid hold time {peer.HoldTime}: must be 0 or at least 3s"));
            }

            if (peer.KeepaliveTime is not null && keepalive is null)
            {
                errors.Add(d.Problem(Field("keepaliveTime", "keepalive-time"), $"'{peer.KeepaliveTime}' is not a duration (30s)"));
            }
            else if (keepalive is { } k && hold is { } h2 && k > h2)
            {
                errors.Add(d.Problem(Field("keepaliveTime", "keepalive-time"), $"invalid keepaliveTime {peer.KeepaliveTime}: must not be above holdTime {peer.HoldTime}"));
            }

            if (peer.Password is { Length: > 0 } && peer.PasswordSecret is not null)
            {
                errors.Add(d.Problem("passwordSecret", "cannot be set together with password"));
            }

            if (peer.EbgpMultiHop && peer.MyAsn is not null && (peer.MyAsn == peer.PeerAsn || peer.DynamicAsn == "internal"))
            {
                errors.Add(d.Problem(Field("ebgpMultiHop", "ebgp-multihop"), "is only meaningful for an eBGP peer (myASN equals peerASN here)"));
            }

            BfdProfileConfig? bfd = null;
            if (peer.BfdProfile is { Length: > 0 } profile && !config.BfdProfiles.TryGetValue(profile, out bfd))
            {
                errors.Add(d.Problem(Field("bfdProfile", "bfd-profile"), $"no BFDProfile '{profile}'"));
            }

            if (!ValidSelectors(d, Field("nodeSelectors", "node-selectors"), peer.NodeSelectors, errors))
            {
                // Reported by ValidSelectors.
            }

            var session = $"{peer.PeerAddress}|{peer.PeerPort ?? 179}|{peer.Vrf}";
            if (errors.Count == 0 && sessions.TryGetValue(session, out var existing))
            {
                errors.Add(d.Problem(Field("peerAddress", "peer-address"), $"the same session (address, port, vrf) is already configured by {existing}"));
            }

            if (errors.Count > 0)
            {
                problems.AddRange(errors);
                continue;
            }

            sessions[session] = d.What;
            peers[peer.Name] = new BgpPeerConfig(
                peer.Name,
                (uint)peer.MyAsn!.Value,
                (uint)(peer.PeerAsn ?? peer.MyAsn!.Value),
                IPAddress.Parse(peer.PeerAddress!).ToString(),
                (int?)peer.PeerPort,
                peer.SourceAddress,
                peer.HoldTime,
                peer.KeepaliveTime,
                peer.EbgpMultiHop,
                peer.Vrf is { Length: > 0 } vrf ? vrf : null,
                peer.Password is { Length: > 0 },
                peer.PasswordSecret,
                bfd,
                peer.NodeSelectors.Select(ToContract).ToList());
        }

        return peers;
    }

    private static bool ValidSelectors(MetalLbDeclaration declared, string field, IReadOnlyList<IpamSelector> selectors, List<ForeignProblem> problems)
    {
        var ok = true;
        for (var i = 0; i < selectors.Count; i++)
        {
            foreach (var problem in selectors[i].Problems($"{field}[{i}]"))
            {
                problems.Add(declared.Problem($"{field}[{i}]", problem));
                ok = false;
            }
        }

        return ok;
    }

    private static NodeSelector ToContract(IpamSelector selector) => new(
        selector.MatchLabels,
        selector.MatchExpressions.Select(e => new NodeSelectorRequirement(e.Key, e.Operator, e.Values)).ToList());

    private static void Add<T>(Dictionary<string, List<T>> into, string key, T value)
    {
        if (!into.TryGetValue(key, out var list))
        {
            into[key] = list = [];
        }

        list.Add(value);
    }
}
