using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Beacon.Ipam;

/// <summary>
/// Strict textual IP parsing. <see cref="IPAddress.TryParse(string, out IPAddress)"/> accepts forms such as
/// "10.1" or "010.0.0.1" that people do not mean; a pool or annotation with those must be reported, not guessed.
/// </summary>
public static class IpAddressSyntax
{
    public static bool TryParse(string? text, out NumericAddress address, out string error)
    {
        address = default;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = "address is empty";
            return false;
        }

        if (trimmed.Contains('%', StringComparison.Ordinal))
        {
            error = $"'{trimmed}' has a zone index; load-balancer addresses cannot be scoped to an interface";
            return false;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(trimmed, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = NumericAddress.From(v6);
                error = string.Empty;
                return true;
            }

            error = $"'{trimmed}' is not a valid IPv6 address";
            return false;
        }

        var octets = trimmed.Split('.');
        if (octets.Length != 4)
        {
            error = $"'{trimmed}' is not a valid IPv4 address (expected four dot-separated decimal octets)";
            return false;
        }

        uint value = 0;
        foreach (var octet in octets)
        {
            if (octet.Length is 0 or > 3 || !octet.All(char.IsAsciiDigit) || (octet.Length > 1 && octet[0] == '0'))
            {
                error = $"'{trimmed}' is not a valid IPv4 address (octet '{octet}' must be 0-255 without leading zeros)";
                return false;
            }

            var number = int.Parse(octet, NumberStyles.None, CultureInfo.InvariantCulture);
            if (number > 255)
            {
                error = $"'{trimmed}' is not a valid IPv4 address (octet '{octet}' is above 255)";
                return false;
            }

            value = (value << 8) | (uint)number;
        }

        address = new NumericAddress(IpFamily.IPv4, value);
        error = string.Empty;
        return true;
    }
}
