using System.Net;
using System.Net.Sockets;

namespace Beacon.Ipam;

/// <summary>
/// An IP address as a number, so ranges, pools and "lowest free" are plain integer arithmetic.
/// IPv4 addresses use the low 32 bits; IPv4-mapped IPv6 addresses are treated as IPv4.
/// </summary>
public readonly record struct NumericAddress(IpFamily Family, UInt128 Value) : IComparable<NumericAddress>
{
    public static int BitLength(IpFamily family) => family == IpFamily.IPv4 ? 32 : 128;

    public static UInt128 MaxValue(IpFamily family) => family == IpFamily.IPv4 ? uint.MaxValue : UInt128.MaxValue;

    public static NumericAddress From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"'{address}' cannot be converted to bytes.", nameof(address));
        }

        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return new NumericAddress(address.AddressFamily == AddressFamily.InterNetwork ? IpFamily.IPv4 : IpFamily.IPv6, value);
    }

    public IPAddress ToIPAddress()
    {
        var length = Family == IpFamily.IPv4 ? 4 : 16;
        Span<byte> bytes = stackalloc byte[length];
        var value = Value;
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    /// <summary>
    /// True for IPv4 addresses ending in .0 or .255: some clients and middleboxes treat them as network or
    /// broadcast addresses even inside larger subnets, which is what <c>avoidBuggyIPs</c> guards against.
    /// </summary>
    public bool IsBuggyIPv4 => Family == IpFamily.IPv4 && ((Value & 0xFF) == 0 || (Value & 0xFF) == 0xFF);

    public int CompareTo(NumericAddress other)
    {
        var byFamily = Family.CompareTo(other.Family);
        return byFamily != 0 ? byFamily : Value.CompareTo(other.Value);
    }

    public static bool operator <(NumericAddress left, NumericAddress right) => left.CompareTo(right) < 0;

    public static bool operator >(NumericAddress left, NumericAddress right) => left.CompareTo(right) > 0;

    public static bool operator <=(NumericAddress left, NumericAddress right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NumericAddress left, NumericAddress right) => left.CompareTo(right) >= 0;

    public override string ToString() => ToIPAddress().ToString();
}
