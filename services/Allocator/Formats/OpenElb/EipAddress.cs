using Beacon.Ipam;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// An Eip's <c>spec.address</c>: one address, a CIDR (all of it, network and broadcast addresses included, as OpenELB
/// hands them out) or a range <c>a-b</c>; one of those only (OpenELB has no lists).
/// </summary>
internal static class EipAddress
{
    public static bool TryParse(string? text, out AddressRange range, out string error)
    {
        range = default;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = "is required (an address, a CIDR such as 192.168.0.100/30, or a range such as 192.168.0.100-192.168.0.110)";
            return false;
        }

        if (trimmed.Contains(',', StringComparison.Ordinal))
        {
            error = $"'{trimmed}' lists several ranges; an Eip holds one (declare one Eip per range)";
            return false;
        }

        if (!AddressRange.TryParse(trimmed, out range, out _, out var rangeError))
        {
            error = rangeError;
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The smallest network holding the whole range: Beacon's pools need a subnet, an Eip names none. Only its family and
    /// containment matter, because Eip addresses are plumbed as host addresses (see <see cref="EipTranslator"/>).
    /// </summary>
    public static IpSubnet CoveringSubnet(AddressRange range)
    {
        var bits = NumericAddress.BitLength(range.Family);
        var differing = range.First.Value ^ range.Last.Value;
        var hostBits = 0;
        while (differing != UInt128.Zero)
        {
            differing >>= 1;
            hostBits++;
        }

        var prefix = bits - hostBits;
        var mask = hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return new IpSubnet(new NumericAddress(range.Family, range.First.Value & ~mask & NumericAddress.MaxValue(range.Family)), prefix);
    }
}
