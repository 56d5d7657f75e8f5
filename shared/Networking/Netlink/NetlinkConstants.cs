namespace Beacon.Networking.Netlink;

/// <summary>Numbers from linux/netlink.h and linux/rtnetlink.h (uapi, stable ABI).</summary>
internal static class NetlinkConstants
{
    public const int HeaderLength = 16;
    public const int AttributeHeaderLength = 4;

    public const ushort MessageNoop = 1;
    public const ushort MessageError = 2;
    public const ushort MessageDone = 3;
    public const ushort MessageOverrun = 4;

    public const ushort FlagRequest = 0x1;
    public const ushort FlagMulti = 0x2;
    public const ushort FlagAck = 0x4;
    public const ushort FlagDumpInterrupted = 0x10;
    public const ushort FlagDump = 0x300;
    public const ushort FlagReplace = 0x100;
    public const ushort FlagExclusive = 0x200;
    public const ushort FlagCreate = 0x400;
    public const ushort FlagCapped = 0x100;
    public const ushort FlagAckTlvs = 0x200;

    public const ushort ErrorAttributeMessage = 1;

    public const ushort NewLink = 16;
    public const ushort DeleteLink = 17;
    public const ushort GetLink = 18;
    public const ushort NewAddress = 20;
    public const ushort DeleteAddress = 21;
    public const ushort GetAddress = 22;

    public const ushort AttributeNested = 0x8000;
    public const ushort AttributeTypeMask = 0x3fff;

    public const uint GroupLink = 0x1;
    public const uint GroupIpv4Address = 0x10;
    public const uint GroupIpv6Address = 0x100;

    public static int Align(int length) => (length + 3) & ~3;
}
