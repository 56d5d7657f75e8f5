namespace Beacon.Networking.Packets;

/// <summary>ARP opcodes (RFC 826).</summary>
public enum ArpOperation : ushort
{
    Request = 1,
    Reply = 2,
}
