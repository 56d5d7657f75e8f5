using Beacon.Contracts;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// OpenELB (<c>network.kubesphere.io</c>): Eips become pools announced as their protocol says (layer2/vip: ARP/NDP on
/// the Eip's interface; bgp: to every BgpPeer), BgpConf "default" and BgpPeers become BGP peers. v1alpha1 Eips (address,
/// protocol, disable) are read by the same rules.
/// </summary>
internal sealed class OpenElbFormat : IPoolFormat
{
    public const string Group = "network.kubesphere.io";

    public string Name => "OpenELB";

    public bool Reads(string apiVersion, string kind) =>
        apiVersion is Group + "/v1alpha2" && kind is "Eip" or "BgpConf" or "BgpPeer"
        || apiVersion is Group + "/v1alpha1" && kind is "Eip";

    public IReadOnlyList<ForeignProblem> Validate(ForeignResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        // BgpPeers are validated in Translate, where the BgpConf's AS is known.
        IReadOnlyList<FieldProblem> problems = resource.Kind switch
        {
            "Eip" => TranslateEip(resource).Problems,
            "BgpConf" => BgpTranslator.TranslateConf(resource.Name, resource.Spec).Problems,
            _ => [],
        };
        return problems.Where(p => p.Rejected).Select(p => ForeignProblem.Of(resource, p.Field, p.Message)).ToList();
    }

    public FormatTranslation Translate(IReadOnlyList<ForeignResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var problems = new List<ForeignProblem>();
        uint? localAs = null;
        foreach (var conf in resources.Where(r => r.Kind == "BgpConf"))
        {
            var translation = BgpTranslator.TranslateConf(conf.Name, conf.Spec);
            problems.AddRange(Warnings(conf, translation.Problems));
            if (conf.Name == BgpTranslator.DefaultConfName)
            {
                localAs = translation.As;
            }
        }

        var peers = new List<BgpPeerConfig>();
        var origins = new Dictionary<string, ForeignResource>(StringComparer.Ordinal);
        foreach (var resource in resources.Where(r => r.Kind == "BgpPeer").OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var translation = BgpTranslator.TranslatePeer(resource.Name, resource.Spec, localAs);
            problems.AddRange(translation.Problems.Select(p => ForeignProblem.Of(resource, p.Field, p.Message, p.Rejected)));
            if (translation.Peer is { } peer)
            {
                peers.Add(peer);
                origins[peer.Name] = resource;
            }
        }

        var pools = new List<ServiceGroupSpec>();
        var announcements = new Dictionary<string, AnnouncementPolicy>(StringComparer.Ordinal);
        foreach (var resource in resources.Where(r => r.Kind == "Eip"))
        {
            var translation = TranslateEip(resource);
            problems.AddRange(Warnings(resource, translation.Problems));
            if (translation.Pool is not { } pool)
            {
                continue;
            }

            pools.Add(pool with { Origin = resource.At() });
            var source = $"Eip {resource.Name}";
            announcements[pool.Name] = translation.Protocol == "bgp"
                ? new AnnouncementPolicy(true, [], [new BgpAnnouncement(source, 32, 128, null, [], peers, [])])
                : new AnnouncementPolicy(true, [new Layer2Announcement(source, [], translation.Interface is { } i ? [i] : [])], []);
        }

        return new FormatTranslation(pools, announcements, problems) { Peers = peers, PeerOrigins = origins };
    }

    private static EipTranslation TranslateEip(ForeignResource resource) =>
        EipTranslator.Translate(resource.Name, resource.CreatedAt, ForeignAnnotations.Of(resource), resource.Spec);

    private static IEnumerable<ForeignProblem> Warnings(ForeignResource resource, IEnumerable<FieldProblem> problems) =>
        problems.Where(p => !p.Rejected).Select(p => ForeignProblem.Of(resource, p.Field, p.Message, rejected: false));
}
