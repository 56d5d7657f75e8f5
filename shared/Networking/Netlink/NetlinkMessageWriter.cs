using System.Buffers.Binary;
using System.Text;

namespace Beacon.Networking.Netlink;

/// <summary>
/// Builds one netlink message: header, a fixed family header (ifinfomsg, ifaddrmsg) and attributes, 4-byte aligned.
/// Pure: produces bytes only.
/// </summary>
internal sealed class NetlinkMessageWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;
    private readonly Stack<int> _nested = new();

    public NetlinkMessageWriter(ushort type, ushort flags, uint sequence)
    {
        Reserve(NetlinkConstants.HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), sequence);
    }

    /// <summary>Appends raw bytes (a family header), padded to 4 bytes.</summary>
    public NetlinkMessageWriter Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(NetlinkConstants.Align(bytes.Length)));
        return this;
    }

    public NetlinkMessageWriter Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var total = NetlinkConstants.AttributeHeaderLength + value.Length;
        var span = Reserve(NetlinkConstants.Align(total));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[4..]);
        return this;
    }

    public NetlinkMessageWriter AttributeU8(ushort type, byte value) => Attribute(type, [value]);

    public NetlinkMessageWriter AttributeU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    /// <summary>A NUL-terminated string attribute, as the kernel expects for names and kinds.</summary>
    public NetlinkMessageWriter AttributeString(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attribute(type, bytes);
    }

    public NetlinkMessageWriter BeginNested(ushort type)
    {
        _nested.Push(_length);
        var span = Reserve(NetlinkConstants.AttributeHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | NetlinkConstants.AttributeNested));
        return this;
    }

    public NetlinkMessageWriter EndNested()
    {
        var start = _nested.Pop();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    public byte[] ToArray()
    {
        if (_nested.Count != 0)
        {
            throw new InvalidOperationException("unterminated nested attribute");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        return _buffer.AsSpan(0, _length).ToArray();
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
