using System.Text.RegularExpressions;
using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Tests.Manifests;

/// <summary>Every ServiceGroup and LBNodeAgent shown in docs/ is one the API server would accept.</summary>
public sealed partial class DocumentationExamplesTests
{
    [GeneratedRegex(@"^```ya?ml[^\n]*\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    internal static IEnumerable<ManifestDocument> Examples()
    {
        foreach (var file in Directory.GetFiles(RepositoryRoot.Combine("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            foreach (Match block in YamlBlock().Matches(text))
            {
                var body = block.Groups["body"];
                var firstLine = text[..body.Index].Count(c => c == '\n') + 1;
                var source = Path.GetRelativePath(RepositoryRoot.Path, file);
                var parsed = YamlManifestReader.Read(source, body.Value);
                foreach (var problem in parsed.Problems)
                {
                    throw new InvalidOperationException($"{source}:{firstLine + problem.Line - 1}: {problem.Message}");
                }

                foreach (var document in parsed.Documents.Where(d => d.ApiVersion?.StartsWith("purelb.io/", StringComparison.Ordinal) == true))
                {
                    yield return new ManifestDocument(source, firstLine + document.Line - 1, document.Root, document.Lines
                        .ToDictionary(kv => kv.Key, kv => firstLine + kv.Value - 1));
                }
            }
        }
    }

    [Fact]
    public void Every_purelb_example_in_the_docs_validates_against_the_shipped_schema()
    {
        var problems = new List<string>();
        var examples = Examples().ToList();
        examples.Should().Contain(e => e.Kind == "ServiceGroup" && e.Source.EndsWith("servicegroups.md", StringComparison.Ordinal),
            "docs/servicegroups.md documents every field with examples");
        foreach (var example in examples)
        {
            var schema = example.Kind switch
            {
                "ServiceGroup" => CustomResourceSchema.ServiceGroup,
                "LBNodeAgent" => CustomResourceSchema.LBNodeAgent,
                _ => null,
            };
            // purelb.io/v2 is served with the same schema as v1 (conversion: None).
            if (schema is null || example.ApiVersion is not ("purelb.io/v1" or "purelb.io/v2"))
            {
                problems.Add($"{example.Source}:{example.Line}: {example.ApiVersion} {example.Kind} is not a kind Beacon defines");
                continue;
            }

            problems.AddRange(schema.Validate(example.Root).Select(v => $"{example.Source}:{example.LineOf(v.Path)}: {v}"));
        }

        problems.Should().BeEmpty();
    }
}
