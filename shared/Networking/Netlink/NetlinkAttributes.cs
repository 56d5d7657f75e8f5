using System.Buffers.Binary;
using System.Text;

namespace Beacon.Networking.Netlink;

/// <summary>Attributes of one message (or one nested attribute), by type; the last occurrence wins.</summary>
internal sealed class NetlinkAttributes
{
    private readonly Dictionary<ushort, ReadOnlyMemory<byte>> _values = [];

    private NetlinkAttributes()
    {
    }

    /// <summary>Parses attributes; a truncated or impossible attribute ends the list (the rest is ignored).</summary>
    public static NetlinkAttributes Parse(ReadOnlyMemory<byte> bytes)
    {
        var result = new NetlinkAttributes();
        var offset = 0;
        var span = bytes.Span;
        while (span.Length - offset >= NetlinkConstants.AttributeHeaderLength)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]) & NetlinkConstants.AttributeTypeMask);
            if (length < NetlinkConstants.AttributeHeaderLength || length > span.Length - offset)
            {
                break;
            }

            result._values[type] = bytes.Slice(offset + NetlinkConstants.AttributeHeaderLength, length - NetlinkConstants.AttributeHeaderLength);
            offset += NetlinkConstants.Align(length);
        }

        return result;
    }

    public bool Has(ushort type) => _values.ContainsKey(type);

    // Explicit nullable: 'v : null' would convert null through byte[] into an empty, non-null memory.
    public ReadOnlyMemory<byte>? Bytes(ushort type) => _values.TryGetValue(type, out var v) ? (ReadOnlyMemory<byte>?)v : null;

    public string? String(ushort type)
    {
        if (!_values.TryGetValue(type, out var v))
        {
            return null;
        }

        var span = v.Span;
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? span[..end] : span);
    }

    public uint? U32(ushort type) =>
        _values.TryGetValue(type, out var v) && v.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(v.Span) : null;

    public byte? U8(ushort type) => _values.TryGetValue(type, out var v) && v.Length >= 1 ? v.Span[0] : null;

    public NetlinkAttributes? Nested(ushort type) => _values.TryGetValue(type, out var v) ? Parse(v) : null;
}
