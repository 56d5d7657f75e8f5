namespace Beacon.Hosting.Memory;

/// <summary>The process's GC heap, as far as trimming it goes.</summary>
public interface IManagedHeap
{
    HeapReading Read();

    /// <summary>Collects everything, compacting, and gives every free region back to the OS; returns the heap after it.</summary>
    HeapReading Trim();
}
