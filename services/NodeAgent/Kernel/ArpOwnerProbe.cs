using System.Collections.Concurrent;
using System.Net;
using Beacon.NodeAgent.Ports;
using Beacon.Networking;
using Beacon.Networking.Packets;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// RFC 5227 ARP probes (sender address 0.0.0.0, so no neighbour caches change) through libpcap: an address counts as
/// answered when an ARP reply from another host names it as its sender within <c>timeout</c>. One capture per
/// interface, kept open, read by a dedicated thread that sleeps in poll(2) without a timeout (<see cref="FrameWaiter"/>).
/// Its kernel filter admits only replies from the addresses a probe is waiting for, and nothing between probes
/// (<see cref="ProbeReplyFilter"/>): an agent that probed once pays no wake-up for the rest of its life, neither every
/// 500 ms as SharpPcap's own blocking read would cost, nor for replies its kernel's neighbour checks receive.
/// </summary>
/// <param name="timeout">How long a probe waits for an answer.</param>
/// <param name="namespaceName">The network namespace whose interfaces are probed (null: this process's; tests).</param>
public sealed class ArpOwnerProbe(TimeSpan timeout, string? namespaceName = null) : IOwnerProbe, IDisposable
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
            listener.Refilter();
            foreach (var address in waits.Keys)
            {
                var probe = new ArpPacket(ArpOperation.Request, listener.Mac, IPAddress.Any, MacAddress.Zero, address);
                listener.Channel.Send(probe.ToFrame(MacAddress.Broadcast, listener.Mac));
            }

            await Task.WhenAny(Task.WhenAll(waits.Values.Select(w => w.Task)), Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            return waits.Where(w => w.Value.Task.IsCompleted).Select(w => w.Key).ToHashSet();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
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

            try
            {
                listener.Refilter();
            }
            catch (InvalidOperationException)
            {
                Forget(interfaceName, listener); // a capture that cannot narrow its filter again is reopened by the next probe
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
                listener = new Listener(interfaceName, namespaceName);
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
        private readonly Lock _filterGate = new();
        private string _filter = PcapFrameChannel.NoFrames;
        private volatile bool _stopping;

        public Listener(string interfaceName, string? namespaceName)
        {
            // Replies come to our MAC or to broadcast: no promiscuous mode.
            var channel = PcapFrameChannel.Open(interfaceName, PcapFrameChannel.NoFrames, promiscuous: false, namespaceName);
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

        /// <summary>
        /// Sets the kernel filter to the addresses awaited now. The read of the awaited set and the change are one step,
        /// so whichever probe changes the set last also leaves its filter in place.
        /// </summary>
        public void Refilter()
        {
            lock (_filterGate)
            {
                var filter = ProbeReplyFilter.For(_expected.Keys);
                if (!string.Equals(filter, _filter, StringComparison.Ordinal))
                {
                    Channel.ChangeFilter(filter);
                    _filter = filter;
                }
            }
        }

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
