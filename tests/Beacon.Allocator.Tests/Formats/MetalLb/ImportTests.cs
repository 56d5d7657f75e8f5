using Beacon.Allocator.Formats.Import;
using Beacon.Allocator.Standalone;
using static Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>beaconctl import's conversion: the ServiceGroups it writes are valid and mean what the original meant.</summary>
public sealed class ImportTests
{
    [Fact]
    public void Converted_groups_validate_against_the_CRD_and_allocate_like_the_originals()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "MetalLb", "Fixtures", "seed-002-ipaddresspool-l2.yaml"))
                   + "\n---\n" + Pool("routed", "'fd00:1::10-fd00:1::1f', 203.0.113.0/28", "  serviceAllocation: { priority: 3 }") + """
                   apiVersion: metallb.io/v1beta1
                   kind: BGPAdvertisement
                   metadata: { name: r, namespace: metallb-system }
                   spec: { ipAddressPools: [routed], aggregationLength: 28, communities: ["65000:1"] }
                   """;

        var result = ServiceGroupImport.Convert([("in.yaml", text)]);

        result.Problems.Should().BeEmpty();
        result.Documents.Select(d => d.FileName).Should().Equal("servicegroup-first-pool.yaml", "servicegroup-routed.yaml");
        var reread = ManifestCatalog.Build([("out.yaml", result.ToYaml())]);
        reread.Problems.Should().BeEmpty();
        var first = reread.Groups["beacon-system/first-pool"].Spec;
        first.Local!.V4Pools!.Single().Pool.Should().Be("198.18.10.240-198.18.10.247");
        first.AutoAssign.Should().BeFalse();
        first.AvoidBuggyIPs.Should().BeTrue();
        first.Allocation!.Priority.Should().Be(50);
        first.Allocation.ServiceSelector!.MatchExpressions!.Single().Values.Should().Equal("nginx");
        var routed = reread.Groups["beacon-system/routed"].Spec;
        routed.Remote!.V4Pools!.Single().Aggregation.Should().Be("/28");
        routed.Remote.V6Pools!.Single().Subnet.Should().Be("fd00:1::10/124");

        var firstDoc = result.Documents[0];
        firstDoc.Comments.Should().Contain(c => c.Contains("MetalLB admits a namespace that is listed OR selected", StringComparison.Ordinal));
        firstDoc.Comments.Should().Contain(c => c.StartsWith("Layer 2 by L2Advertisement metallb-system/example: nodes {kubernetes.io/hostname=node-1}, interfaces eth0", StringComparison.Ordinal));
        result.Documents[1].Comments.Should().Contain(c => c.StartsWith("BGP by BGPAdvertisement metallb-system/r: communities 65000:1; peers none configured", StringComparison.Ordinal));
    }

    [Fact]
    public void The_legacy_ConfigMap_converts_too_and_a_broken_one_is_a_problem_not_a_crash()
    {
        var good = ServiceGroupImport.Convert([("seed.yaml", File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "MetalLb", "Fixtures", "seed-001-legacy-configmap.yaml")))]);
        good.Problems.Should().BeEmpty();
        good.Documents.Single().Yaml.Should().Contain("name: my-ip-space").And.Contain("local:");

        var broken = ServiceGroupImport.Convert([("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config, namespace: metallb-system }\ndata:\n  config: |\n    address-pools: [\n")]);
        broken.Documents.Should().BeEmpty();
        broken.Problems.Should().ContainSingle().Which.Should().StartWith("bad.yaml:").And.Contain("invalid YAML");
    }
}
