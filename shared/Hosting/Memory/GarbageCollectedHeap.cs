namespace Beacon.Hosting.Memory;

/// <summary>The runtime's own heap through <see cref="GC"/>.</summary>
public sealed class GarbageCollectedHeap : IManagedHeap
{
    public HeapReading Read() => FromLastCollection();

    public HeapReading Trim()
    {
        // Aggressive: a blocking, compacting collection of every generation that also decommits the free regions the
        // GC would otherwise keep for future allocation (it keeps them while nothing collects, i.e. while idle).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return FromLastCollection();
    }

    private static HeapReading FromLastCollection()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new HeapReading(info.TotalCommittedBytes, info.HeapSizeBytes, info.FragmentedBytes);
    }
}
