using System.Collections.Concurrent;
using Beacon.Allocator.Manifests;
using Beacon.Contracts;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>
/// MetalLB users' configuration, unchanged: metallb.io/v1beta1 (and v1beta2 BGPPeer) IPAddressPool, L2Advertisement,
/// BGPAdvertisement, BGPPeer, BFDProfile, Community, and MetalLB ≤ 0.12's ConfigMap metallb-system/config.
/// </summary>
internal sealed class MetalLbFormat : IPoolFormat
{
    public static MetalLbFormat Instance { get; } = new();

    private static readonly ConcurrentDictionary<string, CustomResourceSchema> Schemas = new(StringComparer.Ordinal);

    public string Name => "MetalLB";

    public bool Reads(string apiVersion, string kind) =>
        MetalLbKinds.Serves(apiVersion, kind) || (apiVersion == "v1" && kind == "ConfigMap");

    /// <summary>Of all ConfigMaps, only MetalLB's own.</summary>
    public bool Claims(ForeignResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Kind != "ConfigMap"
               || (resource.Namespace == MetalLbKinds.LegacyNamespace && resource.Name == MetalLbKinds.LegacyName);
    }

    public IReadOnlyList<ForeignProblem> Validate(ForeignResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Kind == "ConfigMap")
        {
            // Its YAML is checked while reading it (LegacyConfigMapReader), with lines inside the block.
            return [];
        }

        var version = resource.ApiVersion[(resource.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var schema = Schemas.GetOrAdd($"{resource.Kind}/{version}", _ => CustomResourceSchema.Embedded(MetalLbKinds.Definitions[resource.Kind], version));
        return schema.Validate(resource.Body)
            .Select(v => new ForeignProblem(resource.Id, resource.At(v.Path), v.Path.TrimStart('.'), v.Message))
            .ToList();
    }

    public FormatTranslation Translate(IReadOnlyList<ForeignResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var parts = new List<MetalLbConfig> { MetalLbResourceReader.Read(resources.Where(r => r.Kind != "ConfigMap")) };
        parts.AddRange(resources.Where(r => r.Kind == "ConfigMap").Select(LegacyConfigMapReader.Read));
        var communities = new Dictionary<string, string>(StringComparer.Ordinal);
        var bfd = new Dictionary<string, BfdProfileConfig>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (k, v) in part.Communities)
            {
                communities.TryAdd(k, v);
            }

            foreach (var (k, v) in part.BfdProfiles)
            {
                bfd.TryAdd(k, v);
            }
        }

        return MetalLbTranslator.Translate(new MetalLbConfig(
            parts.SelectMany(p => p.Pools).ToList(),
            parts.SelectMany(p => p.Layer2).ToList(),
            parts.SelectMany(p => p.Bgp).ToList(),
            parts.SelectMany(p => p.Peers).ToList(),
            bfd,
            communities,
            parts.SelectMany(p => p.Problems).ToList()));
    }
}
