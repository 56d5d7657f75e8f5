using System.Buffers.Binary;

namespace Beacon.Networking.Packets;

/// <summary>Ethernet II header (no VLAN tag, no FCS: AF_PACKET strips it).</summary>
public readonly record struct EthernetHeader(MacAddress Destination, MacAddress Source, ushort EtherType)
{
    public const int Length = 14;

    /// <summary>Largest untagged frame without FCS (1500-byte MTU).</summary>
    public const int MaxFrameLength = 1514;

    public static bool TryRead(ReadOnlySpan<byte> frame, out EthernetHeader header, out FrameRejection rejection)
    {
        header = default;
        if (frame.Length < Length)
        {
            rejection = FrameRejection.TooShort;
            return false;
        }

        if (frame.Length > MaxFrameLength)
        {
            rejection = FrameRejection.TooLong;
            return false;
        }

        header = new EthernetHeader(MacAddress.Read(frame), MacAddress.Read(frame[6..]), BinaryPrimitives.ReadUInt16BigEndian(frame[12..]));
        rejection = FrameRejection.None;
        return true;
    }

    public void Write(Span<byte> destination)
    {
        Destination.Write(destination);
        Source.Write(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], EtherType);
    }
}
