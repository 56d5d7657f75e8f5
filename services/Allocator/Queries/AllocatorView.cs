using Beacon.Allocator.Mapping;
using Beacon.Contracts;
using KubeGroup = Beacon.Kube.Models.ServiceGroup;
using KubeService = Beacon.Kube.Models.Service;

namespace Beacon.Allocator.Queries;

/// <summary>Everything a query answer is computed from, captured once per request so the answer is consistent.</summary>
/// <param name="Announcers">Nodes announcing a Service ("namespace/name"), sorted.</param>
/// <param name="ReadyNodes">Nodes with ready endpoints of a Service ("namespace/name").</param>
internal sealed record AllocatorView(
    IReadOnlyList<KubeService> Services,
    IReadOnlyList<KubeGroup> Groups,
    LoadBalancerClassFilter Classes,
    Func<string, IReadOnlyDictionary<string, string>?> NamespaceLabels,
    Func<string, IReadOnlyList<string>> Announcers,
    Func<string, IReadOnlyList<string>> ReadyNodes,
    IReadOnlyList<NodeHeartbeat> LiveAgents,
    IReadOnlyList<Formats.ForeignResource>? ForeignResources = null)
{
    /// <summary>The foreign resources translated exactly as the running loop translates them.</summary>
    public Formats.FormatTranslation Foreign() => Formats.PoolFormats.Default.Translate(ForeignResources ?? []);
}
