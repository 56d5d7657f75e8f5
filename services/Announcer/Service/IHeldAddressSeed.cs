namespace Beacon.Announcer.Service;

/// <summary>What the node carries according to the kernel, read once at start (announcements only report changes).</summary>
public interface IHeldAddressSeed
{
    IReadOnlyList<HeldAddress> Read();
}
