using System.Numerics;

namespace Beacon.Ipam;

/// <summary>An inclusive range of addresses of one family, written <c>a-b</c>, as a CIDR, or as a single address.</summary>
public readonly record struct AddressRange
{
    public AddressRange(NumericAddress first, NumericAddress last)
    {
        if (first.Family != last.Family)
        {
            throw new ArgumentException($"Range {first}-{last} mixes IPv4 and IPv6.", nameof(last));
        }

        if (first.Value > last.Value)
        {
            throw new ArgumentException($"Range {first}-{last} is reversed.", nameof(last));
        }

        First = first;
        Last = last;
    }

    public NumericAddress First { get; }

    public NumericAddress Last { get; }

    public IpFamily Family => First.Family;

    /// <summary>Number of addresses; a BigInteger because ::/0 holds 2^128 of them.</summary>
    public BigInteger Size => (BigInteger)(Last.Value - First.Value) + 1;

    public bool Contains(NumericAddress address) =>
        address.Family == Family && address.Value >= First.Value && address.Value <= Last.Value;

    public bool Overlaps(AddressRange other) =>
        other.Family == Family && other.First.Value <= Last.Value && First.Value <= other.Last.Value;

    /// <summary>Parses <c>a-b</c>, <c>a/nn</c> or a single address, with a message saying exactly what is wrong.</summary>
    public static bool TryParse(string? text, out AddressRange range, out GroupErrorCode code, out string error)
    {
        range = default;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            code = GroupErrorCode.InvalidRange;
            error = "range is empty";
            return false;
        }

        var dash = trimmed.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!IpAddressSyntax.TryParse(trimmed[..dash], out var first, out var firstError)
                || !IpAddressSyntax.TryParse(trimmed[(dash + 1)..], out var last, out firstError))
            {
                code = GroupErrorCode.InvalidRange;
                error = $"'{trimmed}' is not a valid range: {firstError}";
                return false;
            }

            if (first.Family != last.Family)
            {
                code = GroupErrorCode.FamilyMismatch;
                error = $"'{trimmed}' mixes an {first.Family} and an {last.Family} address";
                return false;
            }

            if (first.Value > last.Value)
            {
                code = GroupErrorCode.ReversedRange;
                error = $"'{trimmed}' is reversed: {first} is above {last}";
                return false;
            }

            range = new AddressRange(first, last);
            code = GroupErrorCode.None;
            error = string.Empty;
            return true;
        }

        if (trimmed.Contains('/', StringComparison.Ordinal))
        {
            if (!IpSubnet.TryParse(trimmed, out var subnet, out var cidrError))
            {
                code = GroupErrorCode.InvalidCidr;
                error = cidrError;
                return false;
            }

            range = subnet.AsRange;
            code = GroupErrorCode.None;
            error = string.Empty;
            return true;
        }

        if (!IpAddressSyntax.TryParse(trimmed, out var single, out var singleError))
        {
            code = GroupErrorCode.InvalidRange;
            error = $"'{trimmed}' is not a range, CIDR or address: {singleError}";
            return false;
        }

        range = new AddressRange(single, single);
        code = GroupErrorCode.None;
        error = string.Empty;
        return true;
    }

    public override string ToString() => First == Last ? First.ToString() : $"{First}-{Last}";
}
