using System.Collections.Concurrent;
using System.Net;
using Beacon.NodeAgent.Ports;
using Beacon.Networking;
using Beacon.Networking.Packets;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// RFC 5227 ARP probes (sender address 0.0.0.0, so no neighbour caches change) through libpcap: an address counts as
/// answered when an ARP reply from another host names it as its sender within <c>timeout</c>. One capture per
/// interface, kept open, with a kernel filter for ARP replies to our MAC, read by a dedicated thread that sleeps in
/// poll(2) without a timeout between replies (<see cref="FrameWaiter"/>): an agent that probed once does not pay a
/// wake-up every 500 ms for the rest of its life, as SharpPcap's own blocking read would cost.
/// </summary>
public sealed class ArpOwnerProbe(TimeSpan timeout) : IOwnerProbe, IDisposable
{
    private readonly Dictionary<string, Listener> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<IReadOnlySet<IPAddress>> AnsweredAsync(string interfaceName, IReadOnlyCollection<IPAddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (timeout <= TimeSpan.Zero || addresses.Count == 0)
        {
            return new HashSet<IPAddress>();
        }

        var listener = Get(interfaceName);
        var waits = addresses.Distinct().ToDictionary(a => a, listener.Expect);
        try
        {
            foreach (var address in waits.Keys)
            {
                var probe = new ArpPacket(ArpOperation.Request, listener.Mac, IPAddress.Any, MacAddress.Zero, address);
                listener.Channel.Send(probe.ToFrame(MacAddress.Broadcast, listener.Mac));
            }

            await Task.WhenAny(Task.WhenAll(waits.Values.Select(w => w.Task)), Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            return waits.Where(w => w.Value.Task.IsCompleted).Select(w => w.Key).ToHashSet();
        }
        catch (System.Net.Sockets.SocketException)
        {
            Forget(interfaceName, listener);
            throw;
        }
        finally
        {
            foreach (var (address, wait) in waits)
            {
                listener.Done(address, wait);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var listener in _open.Values)
            {
                listener.Dispose();
            }

            _open.Clear();
        }
    }

    private Listener Get(string interfaceName)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(interfaceName, out var listener))
            {
                listener = new Listener(interfaceName);
                _open[interfaceName] = listener;
            }

            return listener;
        }
    }

    private void Forget(string interfaceName, Listener listener)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(interfaceName, out var current) && ReferenceEquals(current, listener))
            {
                _open.Remove(interfaceName);
                listener.Dispose();
            }
        }
    }

    private sealed class Listener : IDisposable
    {
        private readonly ConcurrentDictionary<IPAddress, TaskCompletionSource> _expected = new();
        private readonly Thread _reader;
        private readonly FrameWaiter _waiter = new();
        private volatile bool _stopping;

        public Listener(string interfaceName)
        {
            var channel = PcapFrameChannel.Open(interfaceName, "arp[6:2] = 2");
            Channel = channel;
            Mac = channel.Mac;
            _reader = new Thread(Read) { IsBackground = true, Name = "arp-probe " + interfaceName };
            _reader.Start();
        }

        public PcapFrameChannel Channel { get; }

        public MacAddress Mac { get; }

        public TaskCompletionSource Expect(IPAddress address) =>
            _expected.GetOrAdd(address, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Done(IPAddress address, TaskCompletionSource wait) => _expected.TryRemove(new KeyValuePair<IPAddress, TaskCompletionSource>(address, wait));

        public void Dispose()
        {
            _stopping = true;
            _waiter.Wake();
            if (_reader.Join(TimeSpan.FromSeconds(1)))
            {
                _waiter.Dispose();
                Channel.Dispose();
            }
        }

        private void Read()
        {
            var buffer = new byte[1600];
            var channels = new[] { Channel };
            var readable = new bool[1];
            while (!_stopping)
            {
                int length;
                try
                {
                    length = Channel.ReceiveNow(buffer);
                    if (length == 0)
                    {
                        _waiter.Wait(channels, timeout: null, readable);
                        continue;
                    }
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return; // the interface went away; the next probe's send fails and reopens it
                }

                const int EthernetHeader = 14;
                if (length >= EthernetHeader + ArpPacket.Length
                    && ArpPacket.TryDecode(buffer.AsSpan(EthernetHeader, length - EthernetHeader), out var arp, out _)
                    && arp is { Operation: ArpOperation.Reply }
                    && _expected.TryGetValue(arp.SenderIp, out var wait))
                {
                    wait.TrySetResult();
                }
            }
        }
    }
}
