namespace Beacon.Allocator.Manifests;

/// <summary>One place where a value breaks its schema; <see cref="Path"/> uses the same form as <see cref="ManifestDocument.Lines"/>.</summary>
internal sealed record SchemaViolation(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "<root>" : Path.TrimStart('.'))}: {Message}";
}
