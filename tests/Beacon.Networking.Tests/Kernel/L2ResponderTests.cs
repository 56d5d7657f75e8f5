using System.Net;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;

namespace Beacon.Networking.Tests.Kernel;

/// <summary>
/// The responder answers a real client's ARP and NDP for owned addresses that are deliberately not on the
/// node's interface (so the kernel stays silent), and for nothing else.
/// </summary>
public sealed class L2ResponderTests
{
    [Fact]
    public async Task Arping_gets_our_mac_for_an_owned_address_and_no_answer_for_any_other()
    {
        await using var lab = await L2Lab.CreateAsync();
        await using var responder = new L2Responder();
        responder.SetOwnedAddresses([IPAddress.Parse("198.18.0.100"), IPAddress.Parse("fd00:beac::100")]);
        responder.Listen("eth0", lab.Node.Name);

        var owned = await lab.Client.ExecAsync("arping", "-c", "2", "-w", "3", "-i", "eth0", "198.18.0.100");
        owned.ExitCode.Should().Be(0, owned.StandardOutput + owned.StandardError);
        owned.StandardOutput.Should().Contain(lab.NodeMac);

        var other = await lab.Client.ExecAsync("arping", "-c", "2", "-w", "2", "-i", "eth0", "198.18.0.101");
        other.ExitCode.Should().NotBe(0, "nobody owns 198.18.0.101: " + other.StandardOutput);
        other.StandardOutput.Should().NotContain(lab.NodeMac);

        responder.Counters.Answered.Should().BeGreaterThanOrEqualTo(2);
        responder.Counters.Malformed.Should().Be(0);
    }

    [Fact]
    public async Task Neighbor_solicitations_for_an_owned_ipv6_address_are_answered_and_others_are_not()
    {
        await using var lab = await L2Lab.CreateAsync();
        await using var responder = new L2Responder();
        responder.SetOwnedAddresses([IPAddress.Parse("fd00:beac::100")]);
        responder.Listen("eth0", lab.Node.Name);

        // The echo itself gets no answer (the node does not hold the address); the NS it triggers must.
        _ = await lab.Client.ExecAsync("ping", "-6", "-c1", "-W1", "fd00:beac::100");
        var owned = await lab.WaitForClientNeighbourAsync("fd00:beac::100", e => e.Contains("lladdr", StringComparison.Ordinal), TimeSpan.FromSeconds(3));
        owned.Should().Contain(lab.NodeMac);

        _ = await lab.Client.ExecAsync("ping", "-6", "-c1", "-W1", "fd00:beac::101");
        (await lab.ClientNeighbourAsync("fd00:beac::101")).Should().NotContain("lladdr");
        responder.Counters.Answered.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Answering_resumes_after_the_nodes_link_goes_down_and_comes_back()
    {
        await using var lab = await L2Lab.CreateAsync();
        await using var responder = new L2Responder();
        responder.SetOwnedAddresses([IPAddress.Parse("198.18.0.100")]);
        responder.Listen("eth0", lab.Node.Name);
        (await lab.Client.ExecAsync("arping", "-c", "1", "-w", "2", "-i", "eth0", "198.18.0.100")).ExitCode.Should().Be(0);

        await lab.Node.SetLinkAsync("eth0", up: false);
        await lab.Node.SetLinkAsync("eth0", up: true);

        var again = await lab.Client.ExecAsync("arping", "-c", "3", "-w", "4", "-i", "eth0", "198.18.0.100");
        again.ExitCode.Should().Be(0, $"the responder must survive a link flap: {again.StandardOutput} ({responder.Counters}) {(await lab.Node.IpAsync("link", "show", "eth0")).StandardOutput}");
        again.StandardOutput.Should().Contain(lab.NodeMac);
    }

    [Fact]
    public async Task Ordinary_ipv6_traffic_is_filtered_in_the_kernel_and_never_reaches_the_responder()
    {
        await using var lab = await L2Lab.CreateAsync();
        await using var responder = new L2Responder();
        responder.SetOwnedAddresses([IPAddress.Parse("fd00:beac::100")]);
        responder.Listen("eth0", lab.Node.Name);

        // 30 echo requests and replies to and from the node's own address: only the NS/NA of address resolution
        // may be seen (and of those, only solicitations pass the filter).
        (await lab.Client.ExecAsync("ping", "-6", "-c30", "-i0.01", "-W1", "fd00:beac::1")).EnsureSuccess();

        responder.Counters.Received.Should().BeLessThan(5, "echo traffic must not be copied to the responder");
        responder.Counters.Answered.Should().Be(0);
    }

    [Fact]
    public async Task A_dad_probe_for_an_owned_address_is_answered_to_all_nodes_and_garbage_is_counted_not_fatal()
    {
        await using var lab = await L2Lab.CreateAsync();
        await using var responder = new L2Responder();
        var owned = IPAddress.Parse("fd00:beac::100");
        responder.SetOwnedAddresses([owned, IPAddress.Parse("198.18.0.100")]);
        responder.Listen("eth0", lab.Node.Name);
        using var client = PcapFrameChannel.Open("eth0", "icmp6 and ip6[40] == 136", lab.Client.Name);
        using var clientArp = PcapFrameChannel.Open("eth0", PcapFrameChannel.Arp, lab.Client.Name);
        var clientMac = MacAddress.Parse(lab.ClientMac);
        var nodeMac = MacAddress.Parse(lab.NodeMac);

        // Garbage first: truncated ARP, an ARP with a bad format, a truncated NS, an NS with a broken checksum.
        var probe = new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborSolicitation, IPAddress.IPv6Any, Ipv6Multicast.SolicitedNode(owned), owned);
        var probeFrame = probe.ToFrame(Ipv6Multicast.EthernetAddress(probe.Destination), clientMac);
        var badChecksum = (byte[])probeFrame.Clone();
        badChecksum[^1] ^= 0xff;
        var arp = new ArpPacket(ArpOperation.Request, clientMac, IPAddress.Parse("198.18.0.2"), MacAddress.Zero, IPAddress.Parse("198.18.0.100")).ToFrame(MacAddress.Broadcast, clientMac);
        var badArp = (byte[])arp.Clone();
        badArp[EthernetFields.HeaderLength + 4] = 8;
        var truncatedProbe = probeFrame[..70];
        truncatedProbe[EthernetFields.HeaderLength + 5] = 16; // a consistent IPv6 length, so the segment itself does not drop it
        foreach (var garbage in new[] { arp[..30], badArp, truncatedProbe, badChecksum })
        {
            client.Send(garbage);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        client.Send(probeFrame);
        var buffer = new byte[2048];
        NeighborDiscoveryMessage? answer = null;
        while (answer is null)
        {
            var n = await ReceiveAsync(client, buffer, cts.Token);
            if (NeighborDiscoveryMessage.TryDecode(buffer.AsSpan(EthernetFields.HeaderLength, n - EthernetFields.HeaderLength), out var m, out _) &&
                m!.Type == NeighborDiscoveryType.NeighborAdvertisement && m.Target.Equals(owned))
            {
                answer = m;
                MacAddress.Read(buffer).Should().Be(Ipv6Multicast.EthernetAddress(Ipv6Multicast.AllNodes));
                MacAddress.Read(buffer.AsSpan(6)).Should().Be(nodeMac);
            }
        }

        answer.Destination.Should().Be(Ipv6Multicast.AllNodes);
        answer.Flags.Should().Be(NeighborAdvertisementFlags.Override, "a reply to DAD is not solicited (RFC 4861 7.2.4)");
        answer.TargetLinkLayerAddress.Should().Be(nodeMac);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (responder.Counters.Malformed < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        responder.Counters.Malformed.Should().Be(4, string.Join(", ", Enum.GetValues<FrameRejection>().Select(r => $"{r}={responder.Counters.MalformedBecause(r)}")));
        responder.Counters.MalformedBecause(FrameRejection.BadChecksum).Should().Be(1);
        responder.Counters.MalformedBecause(FrameRejection.TooShort).Should().Be(2);

        // Still alive after the garbage: an ARP request is answered.
        clientArp.Send(arp);
        var arpAnswer = await ReceiveAsync(clientArp, buffer, cts.Token);
        ArpPacket.TryDecode(buffer.AsSpan(EthernetFields.HeaderLength, arpAnswer - EthernetFields.HeaderLength), out var reply, out _).Should().BeTrue();
        reply!.Operation.Should().Be(ArpOperation.Reply);
        reply.SenderMac.Should().Be(nodeMac);
        reply.SenderIp.Should().Be(IPAddress.Parse("198.18.0.100"));
    }

    /// <summary>The next frame the client captures (libpcap blocks, so on a pool thread), or cancellation.</summary>
    private static Task<int> ReceiveAsync(PcapFrameChannel channel, byte[] buffer, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var n = 0;
                while (n == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    n = channel.Receive(buffer, TimeSpan.FromMilliseconds(200));
                }

                return n;
            },
            cancellationToken);
}
