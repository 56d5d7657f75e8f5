using System.Net;
using Beacon.Allocator.Formats.MetalLb;
using Beacon.Contracts;
using Beacon.Ipam;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>Rules that hold for every pool a MetalLB user can write.</summary>
public sealed class AddressPropertyTests
{
    private static readonly Gen<(uint First, uint Length)> Ranges =
        from first in Gen.Choose(0, int.MaxValue).Select(v => (uint)v * 2)
        from length in Gen.Choose(0, 600)
        select (first, (uint)Math.Min(length, uint.MaxValue - first));

    private static string Text(uint value) => new IPAddress(BitConverter.GetBytes(value).Reverse().ToArray()).ToString();

    [Property]
    public Property A_range_gets_the_smallest_subnet_containing_it()
    {
        return Prop.ForAll(Ranges.ToArbitrary(), r =>
        {
            AddressBlock.TryParse($"{Text(r.First)}-{Text(r.First + r.Length)}", out var block, out var error).Should().BeTrue(error);
            block.Subnet.Contains(block.Range).Should().BeTrue();
            if (block.Subnet.PrefixLength < 32)
            {
                // One bit longer would split the range: the subnet is the smallest that holds it.
                var half = block.Subnet.PrefixLength + 1;
                new[] { block.Range.First, block.Range.Last }
                    .Select(a => a.Value >> (32 - half)).Distinct().Should().HaveCount(2);
            }
        });
    }

    [Property(MaxTest = 40)]
    public Property AvoidBuggyIPs_never_hands_out_an_address_ending_in_0_or_255_and_hands_out_the_lowest_free_first()
    {
        var gen = from start in Gen.Choose(0, 250)
                  from length in Gen.Choose(1, 300)
                  from count in Gen.Choose(1, 12)
                  select (start, length, count);
        return Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var first = (10u << 24) + (uint)input.start;
            var last = first + (uint)input.length;
            var (engine, _) = Engine(Translate(Pool("p", $"'{Text(first)}-{Text(last)}'", "  avoidBuggyIPs: true")));
            var expected = Enumerable.Range(0, input.length + 1).Select(i => first + (uint)i)
                .Where(a => (a & 0xFF) is not 0 and not 0xFF).Take(input.count).Select(Text).ToList();
            var got = Enumerable.Range(0, input.count).SelectMany(i => Allocate(engine, Service($"s{i}"))).ToList();
            got.Should().Equal(expected);
        });
    }

    [Theory]
    [InlineData("10.0.0.0/24", 24)]
    [InlineData("'10.0.0.0-10.0.0.255'", 24)]
    [InlineData("'10.0.0.1-10.0.0.6'", 31)]
    [InlineData("'10.0.0.4-10.0.0.7'", 30)]
    public void The_shortest_prefix_is_that_of_the_broadest_CIDR_the_range_splits_into(string addresses, int expected)
    {
        AddressBlock.TryParse(addresses.Trim('\''), out var block, out _).Should().BeTrue();
        block.ShortestPrefix().Should().Be(expected);
    }

    [Fact]
    public void Communities_accept_MetalLBs_forms_only()
    {
        var aliases = new Dictionary<string, string> { ["no-export"] = "65535:65281", ["broken"] = "x" };
        BgpCommunity.Resolve("65535:65281", aliases, out _).Should().Be("65535:65281");
        BgpCommunity.Resolve("no-export", aliases, out _).Should().Be("65535:65281");
        BgpCommunity.Resolve("LARGE:1:2:3", aliases, out _).Should().Be("large:1:2:3");
        BgpCommunity.Resolve("65536:1", aliases, out var tooBig).Should().BeNull();
        tooBig.Should().Contain("0 to 65535");
        BgpCommunity.Resolve("broken", aliases, out var badAlias).Should().BeNull();
        badAlias.Should().StartWith("community 'broken' is defined as");
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1m30s", 90)]
    [InlineData("1.5s", 1.5)]
    [InlineData("0s", 0)]
    public void Go_durations_parse(string text, double seconds) => GoDuration.Parse(text).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("90")]
    [InlineData("1x")]
    [InlineData("s")]
    public void Other_durations_do_not(string text) => GoDuration.Parse(text).Should().BeNull();
}
