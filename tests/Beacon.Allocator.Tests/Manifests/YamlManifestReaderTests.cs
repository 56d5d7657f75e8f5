using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Tests.Manifests;

public sealed class YamlManifestReaderTests
{
    [Fact]
    public void Reads_every_document_of_a_multi_document_file_with_its_start_line()
    {
        var result = YamlManifestReader.Read("a.yaml", "kind: A\n---\n# comment\nkind: B\n---\n---\nkind: C\n");

        result.Problems.Should().BeEmpty();
        result.Documents.Select(d => d.Kind).Should().Equal("A", "B", "C");
        result.Documents.Select(d => d.Line).Should().Equal(1, 4, 7);
    }

    [Fact]
    public void Types_plain_scalars_like_kubectl_and_keeps_quoted_ones_as_strings()
    {
        var doc = YamlManifestReader.Read("a.yaml", "a: true\nb: 42\nc: '42'\nd: 1.5\ne: ~\nf: \"true\"\ng: 192.168.1.1\nh: -7\n").Documents[0];
        var root = doc.Root!.AsObject();

        root["a"]!.GetValue<bool>().Should().BeTrue();
        root["b"]!.GetValue<long>().Should().Be(42);
        root["c"]!.GetValue<string>().Should().Be("42");
        root["d"]!.GetValue<double>().Should().Be(1.5);
        root["e"].Should().BeNull();
        root["f"]!.GetValue<string>().Should().Be("true");
        root["g"]!.GetValue<string>().Should().Be("192.168.1.1");
        root["h"]!.GetValue<long>().Should().Be(-7);
    }

    [Fact]
    public void Records_the_line_of_every_nested_value()
    {
        var doc = YamlManifestReader.Read("sg.yaml", "spec:\n  local:\n    v4pools:\n    - subnet: 10.0.0.0/24\n      pool: 10.0.0.1-10.0.0.9\n").Documents[0];

        doc.LineOf(".spec.local.v4pools[0].pool").Should().Be(5);
        doc.LineOf(".spec.local.v4pools[0].subnet").Should().Be(4);
        doc.LineOf(".spec.local.v4pools[0].missing").Should().Be(4, "an absent field is reported at its parent");
    }

    [Fact]
    public void Expands_anchors_aliases_and_merge_keys()
    {
        var doc = YamlManifestReader.Read("a.yaml", "base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n").Documents[0];

        JsonNode.DeepEquals(doc.Root!["copy"], JsonNode.Parse("{\"x\":1,\"y\":2}")).Should().BeTrue();
        JsonNode.DeepEquals(doc.Root!["merged"], JsonNode.Parse("{\"y\":3,\"x\":1}")).Should().BeTrue();
    }

    [Fact]
    public void Reports_a_syntax_error_with_its_line_and_keeps_the_documents_before_it()
    {
        var result = YamlManifestReader.Read("bad.yaml", "kind: A\n---\nkind: B\nspec:\n  x: [1, 2\n  y: 3\n");

        result.Documents.Select(d => d.Kind).Should().Equal("A");
        result.Problems.Should().ContainSingle().Which.Should().Match<ManifestProblem>(p => p.Source == "bad.yaml" && p.Line >= 5);
        result.Problems[0].Message.Should().StartWith("invalid YAML");
    }

    [Fact]
    public void Rejects_a_key_that_appears_twice()
    {
        var result = YamlManifestReader.Read("dup.yaml", "a: 1\nb: 2\na: 3\n");

        result.Problems.Should().ContainSingle().Which.Should().Be(new ManifestProblem("dup.yaml", 3, "key 'a' appears twice in the same mapping"));
    }
}
