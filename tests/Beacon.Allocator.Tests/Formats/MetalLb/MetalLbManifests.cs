using Beacon.Allocator.Formats;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Allocator.Standalone;
using Beacon.Ipam;
using KubeGroup = Beacon.Kube.Models.ServiceGroup;
using KubeService = Beacon.Kube.Models.Service;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>MetalLB manifests read the way the standalone Allocator reads its directory, then translated and allocated from.</summary>
internal static class MetalLbManifests
{
    public static (ManifestSnapshot Snapshot, FormatTranslation Translation) Read(params (string File, string Text)[] files)
    {
        var snapshot = ManifestCatalog.Build(files);
        return (snapshot, PoolFormats.Default.Translate(snapshot.ForeignResources));
    }

    public static FormatTranslation Translate(string yaml) => Read(("metallb.yaml", yaml)).Translation;

    /// <summary>An engine holding exactly the translated pools, plus the update result (rejections).</summary>
    public static (AllocationEngine Engine, GroupUpdateResult Result) Engine(FormatTranslation translation, IEnumerable<KubeGroup>? groups = null)
    {
        var engine = new AllocationEngine(new LoadBalancerClassFilter("beacon.io/beacon", [], true));
        var result = engine.SetGroups(groups ?? [], translation);
        return (engine, result);
    }

    public static IReadOnlyList<string> Allocate(AllocationEngine engine, KubeService service, IReadOnlyDictionary<string, string>? namespaceLabels = null) =>
        engine.Reconcile(service, namespaceLabels).Addresses.Select(a => a.Address.ToString()).ToList();

    public static string Pool(string name, string addresses, string extra = "") => $"""
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata:
          name: {name}
          namespace: metallb-system
        spec:
          addresses: [{addresses}]
        {extra}
        ---
        """ + "\n";
}
