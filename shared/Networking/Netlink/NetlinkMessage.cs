using System.Buffers.Binary;

namespace Beacon.Networking.Netlink;

/// <summary>One received netlink message: header fields and the payload after the 16-byte header.</summary>
internal readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, uint PortId, ReadOnlyMemory<byte> Payload)
{
    public bool IsMultipart => (Flags & NetlinkConstants.FlagMulti) != 0;

    /// <summary>
    /// Splits a datagram into messages. A header with an impossible length ends parsing: the rest cannot be framed.
    /// Returns false when such garbage was found (the messages before it are still returned).
    /// </summary>
    public static bool TryParseAll(ReadOnlyMemory<byte> datagram, List<NetlinkMessage> into)
    {
        var offset = 0;
        var span = datagram.Span;
        while (span.Length - offset >= NetlinkConstants.HeaderLength)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
            if (length < NetlinkConstants.HeaderLength || length > span.Length - offset)
            {
                return false;
            }

            into.Add(new NetlinkMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 6)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 8)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 12)..]),
                datagram.Slice(offset + NetlinkConstants.HeaderLength, (int)length - NetlinkConstants.HeaderLength)));
            offset += NetlinkConstants.Align((int)length);
        }

        return offset >= span.Length;
    }
}
