using System.Globalization;

namespace Beacon.Ipam;

/// <summary>A CIDR network such as 192.168.10.0/24. Host bits given in the text are cleared, as Go's ParseCIDR (and so PureLB) does.</summary>
public sealed record IpSubnet(NumericAddress Network, int PrefixLength)
{
    public IpFamily Family => Network.Family;

    public NumericAddress First => Network;

    public NumericAddress Last => new(Family, Network.Value | HostMask(Family, PrefixLength));

    public AddressRange AsRange => new(First, Last);

    public bool Contains(NumericAddress address) =>
        address.Family == Family && address.Value >= First.Value && address.Value <= Last.Value;

    public bool Contains(AddressRange range) => Contains(range.First) && Contains(range.Last);

    public static bool TryParse(string? text, out IpSubnet subnet, out string error)
    {
        subnet = null!;
        var trimmed = text?.Trim() ?? string.Empty;
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = $"'{trimmed}' is not a CIDR (expected address/prefix, e.g. 192.168.1.0/24)";
            return false;
        }

        if (!IpAddressSyntax.TryParse(trimmed[..slash], out var address, out var addressError))
        {
            error = $"'{trimmed}' is not a valid CIDR: {addressError}";
            return false;
        }

        var prefixText = trimmed[(slash + 1)..];
        var bits = NumericAddress.BitLength(address.Family);
        if (prefixText.Length == 0 || prefixText.Length > 3 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
        {
            error = $"'{trimmed}' is not a valid CIDR: prefix length '{prefixText}' must be a number from 0 to {bits}";
            return false;
        }

        var network = address.Value & ~HostMask(address.Family, prefix) & NumericAddress.MaxValue(address.Family);
        subnet = new IpSubnet(new NumericAddress(address.Family, network), prefix);
        error = string.Empty;
        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static UInt128 HostMask(IpFamily family, int prefixLength)
    {
        var hostBits = NumericAddress.BitLength(family) - prefixLength;
        return hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }
}
