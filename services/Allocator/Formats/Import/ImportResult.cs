namespace Beacon.Allocator.Formats.Import;

/// <summary>What <c>beaconctl import</c> produced: documents, plus problems that kept something from being converted.</summary>
public sealed record ImportResult(IReadOnlyList<ImportedDocument> Documents, IReadOnlyList<string> Problems)
{
    /// <summary>Every document as one multi-document YAML stream, comments included.</summary>
    public string ToYaml() => string.Join("---\n", Documents.Select(d => string.Concat(d.Comments.Select(c => "# " + c + "\n")) + d.Yaml));
}
