using System.Numerics;
using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

public sealed class AddressSyntaxTests
{
    [Theory]
    [InlineData("10.0.0.1", IpFamily.IPv4)]
    [InlineData(" 192.168.1.255 ", IpFamily.IPv4)]
    [InlineData("2001:db8::1", IpFamily.IPv6)]
    [InlineData("::ffff:10.1.2.3", IpFamily.IPv4)]
    public void Valid_addresses_parse_with_their_family(string text, IpFamily family)
    {
        IpAddressSyntax.TryParse(text, out var address, out _).Should().BeTrue();
        address.Family.Should().Be(family);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10.1", "four dot-separated")]
    [InlineData("010.0.0.1", "leading zeros")]
    [InlineData("10.0.0.256", "above 255")]
    [InlineData("10.0.0.x", "0-255")]
    [InlineData("fe80::1%eth0", "zone index")]
    [InlineData("2001:db8::g", "not a valid IPv6")]
    public void Invalid_addresses_are_refused_with_a_precise_reason(string text, string reason)
    {
        IpAddressSyntax.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason);
    }

    [Property]
    public Property Numeric_address_round_trips_through_IPAddress()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<ulong>(), ArbMap.Default.ArbFor<ulong>(), (hi, lo) =>
        {
            var v6 = new NumericAddress(IpFamily.IPv6, new UInt128(hi, lo));
            var v4 = new NumericAddress(IpFamily.IPv4, (uint)lo);
            return NumericAddress.From(v6.ToIPAddress()) == v6 && NumericAddress.From(v4.ToIPAddress()) == v4;
        });
    }

    [Theory]
    [InlineData("10.0.0.10-10.0.0.20", "10.0.0.10", "10.0.0.20")]
    [InlineData("10.0.0.0/30", "10.0.0.0", "10.0.0.3")]
    [InlineData("10.0.0.7", "10.0.0.7", "10.0.0.7")]
    [InlineData("2001:db8::/126", "2001:db8::", "2001:db8::3")]
    [InlineData("10.0.0.5/24", "10.0.0.0", "10.0.0.255")]
    public void Ranges_parse_as_dash_cidr_or_single_address(string text, string first, string last)
    {
        AddressRange.TryParse(text, out var range, out _, out _).Should().BeTrue();
        range.First.ToString().Should().Be(first);
        range.Last.ToString().Should().Be(last);
    }

    [Theory]
    [InlineData("10.0.0.20-10.0.0.10", GroupErrorCode.ReversedRange, "reversed")]
    [InlineData("10.0.0.1-2001:db8::1", GroupErrorCode.FamilyMismatch, "mixes")]
    [InlineData("10.0.0.0/33", GroupErrorCode.InvalidCidr, "0 to 32")]
    [InlineData("10.0.0.0/", GroupErrorCode.InvalidCidr, "prefix length")]
    [InlineData("10.0.0.1-", GroupErrorCode.InvalidRange, "empty")]
    [InlineData("banana", GroupErrorCode.InvalidRange, "not a range")]
    public void Bad_ranges_name_the_problem(string text, GroupErrorCode code, string reason)
    {
        AddressRange.TryParse(text, out _, out var actual, out var error).Should().BeFalse();
        actual.Should().Be(code);
        error.Should().Contain(reason);
    }

    [Fact]
    public void Huge_ranges_report_their_size_exactly()
    {
        AddressRange.TryParse("2001:db8::/64", out var v6, out _, out _).Should().BeTrue();
        v6.Size.Should().Be(BigInteger.Pow(2, 64));
        AddressRange.TryParse("::/0", out var all, out _, out _).Should().BeTrue();
        all.Size.Should().Be(BigInteger.Pow(2, 128));
    }
}
