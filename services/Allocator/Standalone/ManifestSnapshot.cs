using Beacon.Allocator.Manifests;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Standalone;

/// <summary>Everything a manifest directory declares, plus every problem found in it (by file and line).</summary>
internal sealed record ManifestSnapshot(
    IReadOnlyDictionary<string, Service> Services,
    IReadOnlyDictionary<string, ServiceGroup> Groups,
    IReadOnlyDictionary<string, Namespace> Namespaces,
    IReadOnlyDictionary<string, Node> Nodes,
    IReadOnlyList<EndpointSlice> EndpointSlices,
    IReadOnlyList<ManifestProblem> Problems)
{
    /// <summary>Objects of foreign formats (MetalLB, …), as written; translated by <see cref="Formats.PoolFormats"/>.</summary>
    public IReadOnlyList<Formats.ForeignResource> ForeignResources { get; init; } = [];

    public static ManifestSnapshot Empty { get; } = new(
        new Dictionary<string, Service>(), new Dictionary<string, ServiceGroup>(), new Dictionary<string, Namespace>(),
        new Dictionary<string, Node>(), [], []);
}
