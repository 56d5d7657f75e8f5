using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Builds <see cref="IPNetwork"/> values from interface addresses and CIDR text. <see cref="IPNetwork.Parse(string)"/>
/// rejects host bits; interfaces report "198.18.0.11/24", so the host bits are cleared here instead.
/// </summary>
public static class NetworkPrefix
{
    public static IPNetwork Of(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var max = MaxLength(address);
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, max);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        for (var bit = prefixLength; bit < written * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }

    /// <summary>Reads "a.b.c.d/n" or "x::y/n" (host bits allowed); a bare address is a host prefix.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var length = MaxLength(address);
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out length) || length > MaxLength(address)))
        {
            return false;
        }

        network = Of(address, length);
        return true;
    }

    /// <summary>32 for IPv4, 128 for IPv6.</summary>
    public static int MaxLength(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
    }
}
