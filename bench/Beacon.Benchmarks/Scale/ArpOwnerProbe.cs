using System.Diagnostics;
using System.Net;
using Beacon.Networking;
using Beacon.Networking.Packets;
using EthernetFields = PacketDotNet.EthernetFields;

namespace Beacon.Benchmarks.Scale;

/// <summary>
/// Asks for many addresses at once from the client namespace: ARP requests for every address not yet answered, in
/// rounds, through one libpcap handle; a receiving thread records, per address, when each MAC first answered. Which
/// MAC is the owner's is decided afterwards (from the nodes' interfaces), so a transient answer from another node does
/// not count.
/// </summary>
internal sealed class ArpOwnerProbe : IDisposable
{
    private static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(20);
    private readonly PcapFrameChannel _channel;
    private readonly IPAddress _source;
    private readonly Dictionary<IPAddress, Dictionary<MacAddress, TimeSpan>> _answers = [];
    private readonly Lock _gate = new();

    public ArpOwnerProbe(string clientNamespace, IPAddress source)
    {
        _channel = PcapFrameChannel.Open("eth0", PcapFrameChannel.Arp, clientNamespace);
        _source = source;
    }

    /// <summary>Per address, each MAC that answered and when it first did (since <paramref name="clock"/> started).</summary>
    public IReadOnlyDictionary<IPAddress, Dictionary<MacAddress, TimeSpan>> Answers
    {
        get
        {
            lock (_gate)
            {
                return _answers.ToDictionary(a => a.Key, a => new Dictionary<MacAddress, TimeSpan>(a.Value));
            }
        }
    }

    /// <summary>
    /// Asks until <paramref name="done"/> holds and every address was answered by a MAC <paramref name="accepted"/>
    /// takes for it (any node's while the owners are not known yet, then only the owner's), or <paramref name="timeout"/> passes.
    /// </summary>
    public void Run(IReadOnlyList<IPAddress> targets, Func<IPAddress, MacAddress, bool> accepted, Stopwatch clock, Func<bool> done, TimeSpan timeout)
    {
        var stop = false;
        var receiver = new Thread(() => Receive(clock, () => Volatile.Read(ref stop))) { IsBackground = true, Name = "arp-probe" };
        receiver.Start();
        var requests = targets.ToDictionary(t => t, t => new ArpPacket(ArpOperation.Request, _channel.Mac, _source, MacAddress.Zero, t).ToFrame(MacAddress.Broadcast, _channel.Mac));
        try
        {
            while (clock.Elapsed < timeout)
            {
                var pending = targets.Where(t => !AnsweredBy(t, accepted)).ToList();
                if (pending.Count == 0 && done())
                {
                    return;
                }

                foreach (var target in pending)
                {
                    _channel.Send(requests[target]);
                }

                Thread.Sleep(RoundPause);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            receiver.Join();
        }
    }

    public void Dispose() => _channel.Dispose();

    private bool AnsweredBy(IPAddress target, Func<IPAddress, MacAddress, bool> accepted)
    {
        lock (_gate)
        {
            return _answers.TryGetValue(target, out var byMac) && byMac.Keys.Any(m => accepted(target, m));
        }
    }

    private void Receive(Stopwatch clock, Func<bool> stopping)
    {
        var buffer = new byte[2048];
        while (!stopping())
        {
            var n = _channel.Receive(buffer, TimeSpan.FromMilliseconds(100));
            if (n < EthernetFields.HeaderLength + ArpPacket.Length ||
                !ArpPacket.TryDecode(buffer.AsSpan(EthernetFields.HeaderLength, n - EthernetFields.HeaderLength), out var arp, out _) ||
                arp!.Operation != ArpOperation.Reply)
            {
                continue;
            }

            var at = clock.Elapsed;
            lock (_gate)
            {
                if (!_answers.TryGetValue(arp.SenderIp, out var byMac))
                {
                    _answers[arp.SenderIp] = byMac = [];
                }

                byMac.TryAdd(arp.SenderMac, at);
            }
        }
    }
}
