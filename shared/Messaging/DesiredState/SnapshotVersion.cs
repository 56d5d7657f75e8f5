using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>The desired state frozen at one (epoch, sequence), sorted by service key, for paging.</summary>
internal sealed class SnapshotVersion(string epoch, long sequence, AllocationChanged[] items)
{
    public string Epoch { get; } = epoch;

    public long Sequence { get; } = sequence;

    public AllocationChanged[] Items { get; } = items;

    public long LastUsedTicks { get; set; } = Environment.TickCount64;
}
