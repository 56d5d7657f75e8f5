namespace Beacon.Allocator.Formats.Import;

/// <summary>One converted resource: a file name for --output, the comment lines above it, and its YAML.</summary>
public sealed record ImportedDocument(string FileName, IReadOnlyList<string> Comments, string Yaml);
