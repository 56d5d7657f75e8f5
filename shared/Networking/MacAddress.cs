using System.Buffers.Binary;
using System.Globalization;
using System.Net.NetworkInformation;

namespace Beacon.Networking;

/// <summary>A 48-bit Ethernet address, stored in the low 48 bits of a ulong so it is cheap to copy and compare.</summary>
public readonly record struct MacAddress
{
    public const int Length = 6;

    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value & 0xFFFF_FFFF_FFFFUL;

    public static MacAddress Broadcast { get; } = new(0xFFFF_FFFF_FFFFUL);

    public static MacAddress Zero { get; }

    public bool IsBroadcast => _value == 0xFFFF_FFFF_FFFFUL;

    /// <summary>Group bit: the least significant bit of the first octet.</summary>
    public bool IsMulticast => ((_value >> 40) & 1) != 0;

    public static MacAddress Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
        {
            throw new ArgumentException("a MAC address needs 6 bytes", nameof(bytes));
        }

        return new MacAddress(((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(_value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)_value);
    }

    /// <summary>The address PacketDotNet and SharpPcap speak (6 bytes expected).</summary>
    public static MacAddress From(PhysicalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Read(address.GetAddressBytes());
    }

    public PhysicalAddress ToPhysicalAddress() => new(ToArray());

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c> (also accepts '-').</summary>
    public static MacAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', '-');
        if (parts.Length != Length)
        {
            throw new FormatException($"'{text}' is not a MAC address");
        }

        ulong value = 0;
        foreach (var p in parts)
        {
            value = (value << 8) | byte.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return new MacAddress(value);
    }

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[Length];
        Write(b);
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}");
    }
}
