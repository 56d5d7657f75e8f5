using System.Diagnostics;
using System.Net;
using Beacon.NodeAgent.Kernel;
using SharpPcap.LibPcap;

namespace Beacon.NodeAgent.Tests.Defence;

public sealed class ConflictFilterTests
{
    private static IPAddress[] Owned(int count, bool v6) =>
        [.. Enumerable.Range(0, count).Select(i => v6 ? IPAddress.Parse($"fd00:beac::{i + 1:x}") : new IPAddress(IPAddress.HostToNetworkOrder(unchecked((int)0xc6120000) + i + 1) & 0xffffffffL))];

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(ConflictFilter.MaxNamedAddresses, false)]
    [InlineData(ConflictFilter.MaxNamedAddresses / 2, true)]
    public void Libpcap_compiles_the_filter_for_as_many_addresses_as_it_names(int count, bool v6)
    {
        var filter = ConflictFilter.For(Owned(count, v6));
        filter.Should().NotBe(ConflictFilter.AnyClaim);
        using var program = BpfProgram.Create(PacketDotNet.LinkLayers.Ethernet, $"({filter}) and not ether src 02:00:00:00:00:01");
        program.Should().NotBeNull();
    }

    [Fact]
    public void Beyond_the_named_limit_the_filter_names_families()
    {
        ConflictFilter.For(Owned(ConflictFilter.MaxNamedAddresses + 1, false)).Should().Be(ConflictFilter.AnyClaim);
        using var program = BpfProgram.Create(PacketDotNet.LinkLayers.Ethernet, ConflictFilter.AnyClaim);
    }

    [Fact]
    public void The_filter_names_each_address_the_way_its_family_claims_it()
    {
        ConflictFilter.For([IPAddress.Parse("198.18.0.200")]).Should().Be("arp src host 198.18.0.200");
        ConflictFilter.For([IPAddress.Parse("fd00:beac::200")]).Should().Be(
            "(icmp6 and ip6[40] == 136 and ip6[48:4] == 0xfd00beac and ip6[52:4] == 0x00000000 and ip6[56:4] == 0x00000000 and ip6[60:4] == 0x00000200)"
            + " or (icmp6 and ip6[40] == 135 and ip6 src host fd00:beac::200)");
    }
}
