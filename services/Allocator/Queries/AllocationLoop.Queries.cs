using Beacon.Allocator.Mapping;

namespace Beacon.Allocator.Controller;

/// <summary>What beaconctl's query responder reads from the running term (all thread-safe to read).</summary>
internal sealed partial class AllocationLoop
{
    public IAllocatorSource Source => source;

    public AnnouncementTracker Announcements => announcements;

    public LoadBalancerClassFilter Classes => classes;
}
