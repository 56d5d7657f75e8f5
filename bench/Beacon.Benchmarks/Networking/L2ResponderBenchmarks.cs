using System.Diagnostics;
using System.Net;
using System.Text;
using Beacon.Networking;
using Beacon.Networking.L2;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;
using Beacon.TestSupport.Netns;
using static Beacon.Benchmarks.Networking.BenchmarkStatistics;

namespace Beacon.Benchmarks.Networking;

/// <summary>
/// ARP reply latency and replies per second of Beacon's l2 responder against the kernel answering for an address
/// on the same veth. A client namespace fires requests through its own raw socket: one at a time for latency,
/// then with a window of outstanding requests for throughput. Target: within 2x of the kernel.
/// </summary>
internal sealed class L2ResponderBenchmarks : IBenchmarkSuite
{
    private const int Rounds = 3;
    private const int Pings = 2000;
    private const int BurstRequests = 20000;
    private const int Window = 32;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly IPAddress ClientAddress = IPAddress.Parse("10.77.0.2");
    private static readonly IPAddress ClientAddress6 = IPAddress.Parse("fd00:77::2");

    public string Name => "l2";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await using var lab = await NetLab.CreateAsync();
        var node = await lab.AddHostAsync("node");
        var client = await lab.AddHostAsync("client");
        await lab.LinkAsync(node, "eth0", client, "eth0");
        await node.IpAsync("addr", "add", "10.77.0.1/24", "dev", "eth0");
        await node.IpAsync("addr", "add", "10.77.0.10/32", "dev", "eth0"); // the kernel answers for these two
        await node.IpAsync("-6", "addr", "add", "fd00:77::10/128", "dev", "eth0", "nodad");
        await client.IpAsync("addr", "add", ClientAddress + "/24", "dev", "eth0");
        await client.IpAsync("-6", "addr", "add", ClientAddress6 + "/64", "dev", "eth0", "nodad");
        using var arpSocket = PcapFrameChannel.Open("eth0", PcapFrameChannel.Arp, client.Name);
        using var ndpSocket = PcapFrameChannel.Open("eth0", "icmp6 and ip6[40] == 136", client.Name);
        var clientMac = arpSocket.Mac;
        var protocols = new[]
        {
            new Protocol("ARP", arpSocket, IPAddress.Parse("10.77.0.10"), IPAddress.Parse("10.77.0.20"),
                target => new ArpPacket(ArpOperation.Request, clientMac, ClientAddress, MacAddress.Zero, target).ToFrame(MacAddress.Broadcast, clientMac),
                IsArpReplyFrom),
            new Protocol("NDP", ndpSocket, IPAddress.Parse("fd00:77::10"), IPAddress.Parse("fd00:77::20"),
                target =>
                {
                    var group = Ipv6Multicast.SolicitedNode(target);
                    return new NeighborDiscoveryMessage(NeighborDiscoveryType.NeighborSolicitation, ClientAddress6, group, target, SourceLinkLayerAddress: clientMac)
                        .ToFrame(Ipv6Multicast.EthernetAddress(group), clientMac);
                },
                IsAdvertisementFor),
        };
        var results = new List<Result>();
        var counters = new List<string>();
        foreach (var (label, priority) in new (string, int?)[] { ("SharpPcap", null), ("SharpPcap, SCHED_RR", 10) })
        {
            await using var responder = new L2Responder(realtimePriority: priority);
            responder.SetOwnedAddresses(protocols.Select(p => p.BeaconTarget)); // on no interface: only Beacon answers
            responder.Listen("eth0", node.Name);

            foreach (var protocol in protocols)
            {
                results.AddRange(Compare(protocol, label, cancellationToken));
            }

            counters.Add($"{label}: {responder.Counters}");
        }

        return Render(results, counters);
    }

    /// <summary>
    /// Rounds alternate kernel and Beacon so both see the same (shared, noisy) machine; latency samples are
    /// pooled, throughput is the median round.
    /// </summary>
    private static IEnumerable<Result> Compare(Protocol protocol, string label, CancellationToken cancellationToken)
    {
        var sides = new[] { ($"kernel ({protocol.Name})", protocol.KernelTarget), ($"{label} ({protocol.Name})", protocol.BeaconTarget) };
        var latencies = sides.Select(_ => new List<double>()).ToArray();
        var rates = sides.Select(_ => new List<(double Rate, double Answered)>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var s = 0; s < sides.Length; s++)
            {
                var (_, target) = sides[s];
                var request = protocol.Request(target);
                _ = Latency(protocol, request, target, 200); // warm-up: JIT, neighbour entries, caches
                latencies[s].AddRange(Latency(protocol, request, target, Pings));
                rates[s].Add(Throughput(protocol, request, target));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return sides.Select((side, s) =>
        {
            latencies[s].Sort();
            var median = rates[s].OrderBy(r => r.Rate).ElementAt(rates[s].Count / 2);
            return new Result(side.Item1, latencies[s], median.Rate, median.Answered);
        }).ToList();
    }

    private static List<double> Latency(Protocol protocol, byte[] request, IPAddress target, int count)
    {
        var samples = new List<double>(count);
        var buffer = new byte[2048];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            protocol.Socket.Send(request);
            while (true)
            {
                var n = protocol.Socket.Receive(buffer, ReplyTimeout);
                if (n == 0)
                {
                    break; // lost: no sample
                }

                if (protocol.IsReply(buffer.AsSpan(0, n), target))
                {
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                    break;
                }
            }
        }

        samples.Sort();
        return samples;
    }

    /// <summary>Keeps <see cref="Window"/> requests in flight; a request unanswered for 200 ms frees its slot.</summary>
    private static (double RepliesPerSecond, double Answered) Throughput(Protocol protocol, byte[] request, IPAddress target)
    {
        using var slots = new SemaphoreSlim(Window, Window);
        var replies = 0;
        var done = false;
        long lastReply = 0;
        var receiver = new Thread(() =>
        {
            var buffer = new byte[2048];
            while (!Volatile.Read(ref done))
            {
                try
                {
                    var n = protocol.Socket.Receive(buffer, ReplyTimeout); // 0 on timeout: look at 'done' again
                    if (n > 0 && protocol.IsReply(buffer.AsSpan(0, n), target))
                    {
                        Interlocked.Increment(ref replies);
                        Volatile.Write(ref lastReply, Stopwatch.GetTimestamp());
                        slots.Release();
                    }
                }
                catch (SemaphoreFullException)
                {
                    // a late reply to a request already given up on
                }
            }
        });
        receiver.Start();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < BurstRequests; i++)
        {
            _ = slots.Wait(TimeSpan.FromMilliseconds(200));
            protocol.Socket.Send(request);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (Volatile.Read(ref replies) < BurstRequests && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Volatile.Write(ref done, true);
        receiver.Join();
        var elapsed = Stopwatch.GetElapsedTime(start, Math.Max(Volatile.Read(ref lastReply), start + 1));
        return (replies / elapsed.TotalSeconds, (double)replies / BurstRequests);
    }

    private static bool IsArpReplyFrom(ReadOnlySpan<byte> frame, IPAddress target) =>
        frame.Length >= EthernetFields.HeaderLength + ArpPacket.Length &&
        ArpPacket.TryDecode(frame[EthernetFields.HeaderLength..], out var arp, out _) &&
        arp!.Operation == ArpOperation.Reply && arp.SenderIp.Equals(target);

    private static bool IsAdvertisementFor(ReadOnlySpan<byte> frame, IPAddress target) =>
        frame.Length > EthernetFields.HeaderLength &&
        NeighborDiscoveryMessage.TryDecode(frame[EthernetFields.HeaderLength..], out var na, out _) &&
        na!.Type == NeighborDiscoveryType.NeighborAdvertisement && na.Target.Equals(target);

    private static string Render(List<Result> results, List<string> counters)
    {
        var text = new StringBuilder();
        text.AppendLine("### L2 responder vs the kernel (ARP and NDP on a veth pair)").AppendLine();
        text.AppendLine(Header("l2")).AppendLine();
        text.AppendLine($"A client namespace sends ARP requests and Neighbor Solicitations through its own libpcap handles to a node namespace over one veth pair. *kernel*: the address is on the node's `eth0`; " +
                        $"*SharpPcap*: the address is on no interface and `L2Responder` (in the benchmark process) answers through two libpcap handles, one per thread (immediate mode, TPACKET ring, kernel BPF filters `arp` and `icmp6 and ip6[40] == 135`), deciding with the PacketDotNet codecs. " +
                        $"Latency = {Rounds} × {Pings:N0} request/reply round trips one at a time; throughput = median of {Rounds} runs of {BurstRequests:N0} requests with {Window} in flight; kernel and Beacon rounds alternate, and the kernel is measured again beside each variant. " +
                        "*SCHED_RR* = `realtimePriority: 10` (like keepalived's `vrrp_rt_priority`), the Announcer's `l2` mode default.").AppendLine();
        text.AppendLine("| Responder | p50 µs | p90 µs | p99 µs | max µs | replies/s | answered |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine($"| {r.Who} | {F(Percentile(r.Latency, 50))} | {F(Percentile(r.Latency, 90))} | {F(Percentile(r.Latency, 99))} | " +
                            $"{F(r.Latency.Count > 0 ? r.Latency[^1] : double.NaN)} | {F(r.RepliesPerSecond, 0)} | {F(r.Answered * 100)} % |");
        }

        text.AppendLine();
        foreach (var i in Enumerable.Range(0, results.Count / 2).Select(k => k * 2))
        {
            var (kernel, beacon) = (results[i], results[i + 1]);
            var p50 = Percentile(beacon.Latency, 50) / Percentile(kernel.Latency, 50);
            var p99 = Percentile(beacon.Latency, 99) / Percentile(kernel.Latency, 99);
            var rate = beacon.RepliesPerSecond / kernel.RepliesPerSecond;
            var met = p50 <= 2 && p99 <= 2 && rate >= 0.8 ? "met" : "**missed**";
            text.AppendLine($"- {beacon.Who} / kernel: p50 latency {F(p50, 2)}x, p99 latency {F(p99, 2)}x, throughput {F(rate, 2)}x of the kernel's. Target (p50 and p99 within 2x, replies/s at least 0.8x): {met}.");
        }

        text.AppendLine().AppendLine("Responder counters after each variant (requests for the kernel's address reach the responder's socket too and are ignored): " + string.Join("; ", counters) + ".");
        return text.ToString();
    }

    private delegate bool ReplyMatcher(ReadOnlySpan<byte> frame, IPAddress target);

    private sealed record Protocol(string Name, PcapFrameChannel Socket, IPAddress KernelTarget, IPAddress BeaconTarget, Func<IPAddress, byte[]> Request, ReplyMatcher IsReply);

    private sealed record Result(string Who, List<double> Latency, double RepliesPerSecond, double Answered);
}
