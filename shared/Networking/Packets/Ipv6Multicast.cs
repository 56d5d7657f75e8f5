using System.Net;

namespace Beacon.Networking.Packets;

/// <summary>IPv6 multicast addresses and their Ethernet mapping (RFC 4291, RFC 2464).</summary>
public static class Ipv6Multicast
{
    /// <summary>ff02::1, all nodes on the link.</summary>
    public static IPAddress AllNodes { get; } = IPAddress.Parse("ff02::1");

    /// <summary>ff02::1:ffXX:XXXX: the group a Neighbor Solicitation for <paramref name="address"/> goes to.</summary>
    public static IPAddress SolicitedNode(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> target = stackalloc byte[16];
        _ = address.TryWriteBytes(target, out _);
        Span<byte> group = stackalloc byte[16];
        group.Clear();
        group[0] = 0xff;
        group[1] = 0x02;
        group[11] = 0x01;
        group[12] = 0xff;
        target[13..].CopyTo(group[13..]);
        return new IPAddress(group);
    }

    /// <summary>33:33 followed by the low 32 bits of the group (RFC 2464 section 7).</summary>
    public static MacAddress EthernetAddress(IPAddress group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Span<byte> bytes = stackalloc byte[16];
        _ = group.TryWriteBytes(bytes, out _);
        Span<byte> mac = [0x33, 0x33, bytes[12], bytes[13], bytes[14], bytes[15]];
        return MacAddress.Read(mac);
    }
}
