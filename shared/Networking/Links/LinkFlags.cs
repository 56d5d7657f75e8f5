namespace Beacon.Networking.Links;

/// <summary>Interface flags (IFF_* from linux/if.h) as reported in ifinfomsg.ifi_flags.</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own name for these bits
public enum LinkFlags : uint
#pragma warning restore CA1711
{
    None = 0,
    Up = 0x1,
    Broadcast = 0x2,
    Loopback = 0x8,
    PointToPoint = 0x10,
    Running = 0x40,
    NoArp = 0x80,
    Promiscuous = 0x100,
    Multicast = 0x1000,

    /// <summary>IFF_LOWER_UP: the driver reports carrier.</summary>
    LowerUp = 0x10000,
    Dormant = 0x20000,
}
