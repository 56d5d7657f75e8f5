using System.Text.Json.Nodes;
using Beacon.Allocator.Tests.Manifests;

namespace Beacon.Allocator.Tests.Formats.PureLbV2;

/// <summary>purelb.io v1 and v2 served side by side, as docs/servicegroups.md promises.</summary>
public sealed class PureLbCrdVersionsTests
{
    [Theory]
    [InlineData("servicegroups.purelb.io")]
    [InlineData("lbnodeagents.purelb.io")]
    [InlineData("eips.network.kubesphere.io")]
    public void Every_served_version_has_one_schema_v1_is_stored_and_there_is_no_conversion_webhook(string name)
    {
        var definition = RenderedManifests.Render("k8s").Single(d => d.Kind == "CustomResourceDefinition" && d.Root!["metadata"]!["name"]!.GetValue<string>() == name);
        var spec = definition.Root!["spec"]!;
        var versions = spec["versions"]!.AsArray().Select(v => v!).ToList();

        spec["conversion"]!["strategy"]!.GetValue<string>().Should().Be("None");
        versions.Should().HaveCount(2).And.OnlyContain(v => v["served"]!.GetValue<bool>());
        versions.Count(v => v["storage"]!.GetValue<bool>()).Should().Be(1);
        JsonNode.DeepEquals(versions[0]["schema"], versions[1]["schema"]).Should().BeTrue("without a conversion webhook an object must read the same through either version");
    }
}
