namespace Beacon.Networking.Packets;

/// <summary>EtherType values Beacon speaks (IEEE 802 numbers).</summary>
public static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Ipv6 = 0x86DD;
    public const ushort Vlan = 0x8100;

    /// <summary>Length of the Ethernet II header, for offsets in socket filters.</summary>
    public const int HeaderLength = 14;

    /// <summary>ETH_P_ALL: every frame, for a packet socket that sees everything.</summary>
    public const ushort All = 0x0003;
}
