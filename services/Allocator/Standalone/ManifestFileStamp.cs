namespace Beacon.Allocator.Standalone;

/// <summary>What the periodic rescan compares to tell whether a manifest file may have changed since the last scan.</summary>
internal readonly record struct ManifestFileStamp(string Path, long Length, DateTime LastWriteUtc);
