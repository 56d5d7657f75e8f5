namespace Beacon.Allocator.Manifests;

/// <summary>The documents a file yielded and the problems that stopped the rest from being read.</summary>
internal sealed record ManifestParseResult(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<ManifestProblem> Problems);
