using System.Text.Json.Nodes;
using Beacon.Allocator.Formats;
using Beacon.Allocator.Kubernetes;
using Beacon.Allocator.Tests.Manifests;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>The Allocator watches every foreign kind its formats read, at the version the shipped CRD stores.</summary>
public sealed class ForeignKindsTests
{
    [Fact]
    public void Every_shipped_CRD_of_a_foreign_format_is_watched_once_at_its_storage_version()
    {
        var crds = RenderedManifests.Render("k8s").Where(d => d.Kind == "CustomResourceDefinition").Select(d => d.Root!.AsObject()).ToList();
        var expected = crds
            .Select(crd =>
            {
                var spec = crd["spec"]!;
                var group = spec["group"]!.GetValue<string>();
                var storage = spec["versions"]!.AsArray().Single(v => v!["storage"]!.GetValue<bool>())!["name"]!.GetValue<string>();
                return new ForeignKind(group, storage, spec["names"]!["plural"]!.GetValue<string>(), spec["names"]!["kind"]!.GetValue<string>());
            })
            // purelb.io ServiceGroups are read by the ServiceGroup informer whatever version they were written in.
            .Where(k => (k.Group != "purelb.io" || k.Kind == "LBNodeAgent") && PoolFormats.Default.Reads(k.ApiVersion, k.Kind))
            .ToList();

        crds.Should().NotBeEmpty();
        ForeignKinds.ReadBy(PoolFormats.Default).Should().BeEquivalentTo(expected);
    }
}
