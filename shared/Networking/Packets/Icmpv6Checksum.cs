using System.Buffers.Binary;

namespace Beacon.Networking.Packets;

/// <summary>ICMPv6 checksum over the IPv6 pseudo-header (RFC 8200 section 8.1) and the ICMPv6 message.</summary>
public static class Icmpv6Checksum
{
    private const byte NextHeaderIcmpv6 = 58;

    /// <summary>Checksum of <paramref name="message"/> whose checksum field (bytes 2-3) is zero.</summary>
    public static ushort Compute(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> message)
    {
        ulong sum = 0;
        sum = Add(sum, source);
        sum = Add(sum, destination);
        sum += (uint)message.Length;
        sum += NextHeaderIcmpv6;
        sum = Add(sum, message);
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>True when a received message (checksum included) sums to all ones.</summary>
    public static bool IsValid(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> message) =>
        Compute(source, destination, message) == 0;

    private static ulong Add(ulong sum, ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        for (; i + 1 < bytes.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        }

        if (i < bytes.Length)
        {
            sum += (uint)(bytes[i] << 8);
        }

        return sum;
    }
}
