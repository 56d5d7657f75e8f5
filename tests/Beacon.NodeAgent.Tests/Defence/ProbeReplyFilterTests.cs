using System.Net;
using Beacon.Networking.Packets;
using Beacon.NodeAgent.Kernel;
using SharpPcap.LibPcap;

namespace Beacon.NodeAgent.Tests.Defence;

public sealed class ProbeReplyFilterTests
{
    [Fact]
    public void Between_probes_the_capture_admits_nothing()
    {
        ProbeReplyFilter.For([]).Should().Be(PcapFrameChannel.NoFrames);
        ProbeReplyFilter.For([IPAddress.Parse("fd00:beac::200")]).Should().Be(PcapFrameChannel.NoFrames, "an ARP probe waits for IPv4 senders only");
    }

    [Fact]
    public void A_probe_admits_replies_from_the_addresses_it_waits_for()
    {
        ProbeReplyFilter.For([IPAddress.Parse("198.18.0.200"), IPAddress.Parse("198.18.0.201"), IPAddress.Parse("198.18.0.200")])
            .Should().Be("arp[6:2] = 2 and (arp src host 198.18.0.200 or arp src host 198.18.0.201)");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ConflictFilter.MaxNamedAddresses)]
    [InlineData(ConflictFilter.MaxNamedAddresses + 1)]
    public void Libpcap_compiles_the_filter_for_any_number_of_awaited_addresses(int count)
    {
        var awaited = Enumerable.Range(0, count).Select(i => new IPAddress(IPAddress.HostToNetworkOrder(unchecked((int)0xc6120000) + i + 1) & 0xffffffffL)).ToList();
        var filter = ProbeReplyFilter.For(awaited);
        if (count > ConflictFilter.MaxNamedAddresses)
        {
            filter.Should().Be(ProbeReplyFilter.AnyReply);
        }

        using var program = BpfProgram.Create(PacketDotNet.LinkLayers.Ethernet, $"({filter}) and not ether src 02:00:00:00:00:01");
        program.Should().NotBeNull();
    }
}
