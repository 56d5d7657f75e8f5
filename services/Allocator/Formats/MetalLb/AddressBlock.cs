using Beacon.Ipam;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>
/// One entry of MetalLB's <c>addresses</c>: a CIDR or a range "first-last" (spaces allowed around the dash). Beacon's
/// engine wants a subnet per pool: a CIDR is its own subnet, a range gets the smallest CIDR containing it. Pure.
/// </summary>
internal sealed record AddressBlock(AddressRange Range, IpSubnet Subnet, string Text)
{
    public IpFamily Family => Range.Family;

    public static bool TryParse(string? text, out AddressBlock block, out string error)
    {
        block = null!;
        var trimmed = (text ?? string.Empty).Trim();
        if (!trimmed.Contains('/', StringComparison.Ordinal) && !trimmed.Contains('-', StringComparison.Ordinal))
        {
            // MetalLB accepts only CIDRs and ranges; a bare address must be written as /32 or /128.
            error = $"'{trimmed}' is neither a CIDR nor a range (write a single address as {trimmed}/32 or {trimmed}/128)";
            return false;
        }

        if (!AddressRange.TryParse(trimmed.Replace(" ", string.Empty, StringComparison.Ordinal), out var range, out _, out error))
        {
            return false;
        }

        var subnet = trimmed.Contains('/', StringComparison.Ordinal) && IpSubnet.TryParse(trimmed, out var cidr, out _) ? cidr : Covering(range);
        block = new AddressBlock(range, subnet, range.ToString());
        return true;
    }

    /// <summary>The smallest CIDR containing the whole range.</summary>
    public static IpSubnet Covering(AddressRange range)
    {
        var bits = NumericAddress.BitLength(range.Family);
        var prefix = bits;
        while (prefix > 0 && !Mask(range.First, prefix, bits).Contains(range.Last))
        {
            prefix--;
        }

        return Mask(range.First, prefix, bits);
    }

    /// <summary>The largest prefix length that covers the range with CIDRs no broader than the range itself: MetalLB
    /// splits ranges into CIDRs and requires an aggregation length of at least the shortest such prefix.</summary>
    public int ShortestPrefix()
    {
        var bits = NumericAddress.BitLength(Family);
        var shortest = bits;
        var first = Range.First.Value;
        var last = Range.Last.Value;
        while (true)
        {
            // The largest aligned block starting at first that does not run past last.
            var size = 0;
            while (size < bits && (first & ((UInt128.One << (size + 1)) - 1)) == 0 && first + ((UInt128.One << (size + 1)) - 1) <= last
                   && first + ((UInt128.One << (size + 1)) - 1) >= first)
            {
                size++;
            }

            shortest = Math.Min(shortest, bits - size);
            var end = first + ((UInt128.One << size) - 1);
            if (end >= last || end == NumericAddress.MaxValue(Family))
            {
                return shortest;
            }

            first = end + 1;
        }
    }

    private static IpSubnet Mask(NumericAddress address, int prefix, int bits)
    {
        var host = prefix == bits ? UInt128.Zero : (UInt128.One << (bits - prefix)) - 1;
        if (bits - prefix == 128)
        {
            host = UInt128.MaxValue;
        }

        return new IpSubnet(new NumericAddress(address.Family, address.Value & ~host & NumericAddress.MaxValue(address.Family)), prefix);
    }
}
