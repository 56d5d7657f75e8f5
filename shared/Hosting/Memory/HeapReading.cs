namespace Beacon.Hosting.Memory;

/// <summary>
/// One look at the GC heap, as the last collection left it: memory committed for the heap, the heap's size (objects
/// plus the free space between them) and that free space.
/// </summary>
public readonly record struct HeapReading(long CommittedBytes, long HeapSizeBytes, long FragmentedBytes)
{
    /// <summary>Committed memory no object lives in: regions kept for allocation and free space inside used ones.</summary>
    public long UnusedBytes => Math.Max(0, CommittedBytes - (HeapSizeBytes - FragmentedBytes));
}
