using System.Diagnostics;
using System.Net;
using Beacon.NodeAgent.Kernel;
using Beacon.Networking;
using Beacon.Networking.Packets;
using Beacon.TestSupport.Netns;

namespace Beacon.NodeAgent.Tests.Defence;

/// <summary>
/// The takeover probe against real kernels: a node probing on a LAN where a peer holds one of the addresses. The peer's
/// kernel answers the RFC 5227 probe for the address it holds, and nobody answers for the other. Between probes the
/// probe's reader must not wake for ARP replies the node receives anyway (its kernel's own neighbour checks).
/// </summary>
public sealed class ArpOwnerProbeNamespaceTests
{
    private const string Interface = "prb0"; // unique in this process: the reader thread is found by its name

    [Fact]
    public async Task A_probe_names_the_address_another_host_holds_and_its_reader_sleeps_through_replies_between_probes()
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        var peer = await lab.AddHostAsync("peer");
        var nodeMac = MacAddress.Parse(await lan.AttachAsync(node, Interface, "198.18.0.2/24"));
        await lan.AttachAsync(peer, "eth0", "198.18.0.3/24");
        await peer.IpAsync("addr", "add", "198.18.0.200/32", "dev", "eth0");
        using var probe = new ArpOwnerProbe(TimeSpan.FromSeconds(1), node.Name);

        var answered = await probe.AnsweredAsync(Interface, [IPAddress.Parse("198.18.0.200"), IPAddress.Parse("198.18.0.201")], CancellationToken.None);
        answered.Select(a => a.ToString()).Should().Equal("198.18.0.200");

        // A reply to the node, as its kernel receives when it re-verifies a neighbour, while no probe waits.
        var reader = ReaderThread();
        using var wire = PcapFrameChannel.Open("eth0", filter: null, peer.Name);
        using var seen = PcapFrameChannel.Open(Interface, "arp", promiscuous: false, node.Name);
        var before = ThreadContextSwitches.Of(reader);
        var reply = new ArpPacket(ArpOperation.Reply, wire.Mac, IPAddress.Parse("198.18.0.200"), nodeMac, IPAddress.Parse("198.18.0.2"));
        wire.Send(reply.ToFrame(nodeMac, wire.Mac));
        await ArrivedAsync(seen);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // a bounded observation window: the event expected is that nothing happens
        ThreadContextSwitches.Of(reader).Should().Be(before, "the probe's reader sleeps while no probe waits, whatever ARP replies the node receives");

        // And it still hears answers afterwards.
        (await probe.AnsweredAsync(Interface, [IPAddress.Parse("198.18.0.200")], CancellationToken.None)).Should().ContainSingle();
    }

    private static string ReaderThread() =>
        Directory.GetDirectories("/proc/self/task").Single(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "arp-probe " + Interface);

    private static Task ArrivedAsync(PcapFrameChannel seen) => Task.Run(() =>
    {
        using var waiter = new FrameWaiter();
        var buffer = new byte[1600];
        var clock = Stopwatch.StartNew();
        while (seen.ReceiveNow(buffer) == 0)
        {
            var left = TimeSpan.FromSeconds(5) - clock.Elapsed;
            left.Should().BePositive("the reply reaches the node");
            waiter.Wait([seen], left, new bool[1]);
        }
    });
}
