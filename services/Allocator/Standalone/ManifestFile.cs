using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// One manifest file read and checked on its own (parsed, validated, deserialized), in document order: what
/// <see cref="ManifestCatalog"/> needs to merge it with the other files. Reading is the costly part (a file of 1,000
/// Services is most of a scan), so a scan reads each file once and uses the result both to judge the file and to build
/// the directory's view.
/// </summary>
internal sealed record ManifestFile(string File, IReadOnlyList<ManifestEntry> Entries);
