using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Beacon.Networking.Native;
using Beacon.Networking.Packets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Networking.L2;

/// <summary>
/// Answers ARP and Neighbor Solicitations for the owned addresses on the interfaces it listens on, running
/// <see cref="NeighborResponder.Decide"/> on every received frame. The owned set can be replaced at any time.
/// </summary>
public sealed partial class L2Responder : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long <see cref="DisposeAsync"/> waits for a listening thread to notice the stop.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private const int ReceiveBufferLength = NeighborResponder.MaxFrameLength + 86; // longer frames arrive cut, rejected as too long

    private readonly ILogger _logger;
    private readonly int? _realtimePriority;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(IFrameChannel Channel, Task Loop)> _listeners = [];
    private FrozenSet<IPAddress> _owned = FrozenSet<IPAddress>.Empty;

    /// <param name="realtimePriority">
    /// When set (1-99), responder threads run under SCHED_RR at this priority, like keepalived's
    /// <c>vrrp_rt_priority</c>: replies keep microsecond latency on a CPU-saturated node. Needs CAP_SYS_NICE.
    /// </param>
    public L2Responder(ILogger? logger = null, int? realtimePriority = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _realtimePriority = realtimePriority;
    }

    public ResponderCounters Counters { get; } = new();

    public IReadOnlySet<IPAddress> OwnedAddresses => Volatile.Read(ref _owned);

    /// <summary>Replaces the set of addresses to answer for (IPv4 and IPv6).</summary>
    public void SetOwnedAddresses(IEnumerable<IPAddress> addresses) =>
        Volatile.Write(ref _owned, addresses.ToFrozenSet());

    /// <summary>Starts answering on an already opened channel whose interface has <paramref name="mac"/>.</summary>
    public void Listen(IFrameChannel channel, MacAddress mac)
    {
        ArgumentNullException.ThrowIfNull(channel);
        lock (_listeners)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var token = _stop.Token;
            var thread = new Thread(() =>
            {
                try
                {
                    if (_realtimePriority is { } priority && RealtimeScheduling.TryEnterRoundRobin(priority) is var errno and not 0)
                    {
                        LogNoRealtime(priority, errno);
                    }

                    Run(channel, mac, token);
                }
                finally
                {
                    // The thread closes its own channel: a handle is never closed under a thread still reading it.
                    channel.Dispose();
                    done.SetResult();
                }
            })
            {
                IsBackground = true,
                Name = $"l2 responder if{channel.InterfaceIndex}",
            };
            thread.Start();
            _listeners.Add((channel, done.Task));
        }
    }

    /// <summary>
    /// Opens the named interface (in a namespace when given) twice through libpcap, one handle for ARP and one for
    /// Neighbor Solicitations, each with its kernel filter and its own thread, and listens. One handle for both
    /// (filter <c>arp or ...</c>) measured slower for NDP in half the runs (docs/benchmarks.md, l2).
    /// </summary>
    public void Listen(string interfaceName, string? namespaceName = null)
    {
        var arp = PcapFrameChannel.Open(interfaceName, PcapFrameChannel.Arp, namespaceName);
        PcapFrameChannel ndp;
        try
        {
            ndp = PcapFrameChannel.Open(interfaceName, PcapFrameChannel.NeighborSolicitations, namespaceName);
        }
        catch
        {
            arp.Dispose();
            throw;
        }

        Listen(arp, arp.Mac);
        Listen(ndp, ndp.Mac);
    }

    public async ValueTask DisposeAsync()
    {
        List<(IFrameChannel Channel, Task Loop)> listeners;
        lock (_listeners)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            listeners = [.. _listeners];
        }

        // After the interface went down, libpcap (1.10, immediate mode) waits inside pcap_next_ex until the next frame
        // or until the interface disappears, and SharpPcap offers no way to interrupt that outside its own capture
        // loop. Such a thread is left to finish (and close its handle) when libpcap returns; stopping does not wait.
        var all = Task.WhenAll(listeners.Select(l => l.Loop));
        if (await Task.WhenAny(all, Task.Delay(StopWait)).ConfigureAwait(false) != all)
        {
            LogStillReading(listeners.Count(l => !l.Loop.IsCompleted));
        }

        _stop.Dispose();
    }

    /// <summary>One dedicated thread per channel, blocking in libpcap: a reply leaves within microseconds of the request.</summary>
    private void Run(IFrameChannel channel, MacAddress mac, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferLength];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = channel.Receive(buffer, PollInterval);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.NetworkDown or SocketError.NetworkUnreachable)
            {
                // The interface went down: the kernel reports it once, then delivers again when it comes back up.
                LogInterfaceDown(channel.InterfaceIndex);
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                LogReceiveFailed(channel.InterfaceIndex, e.Message);
                return;
            }

            if (length == 0)
            {
                continue; // timeout: look at the stop token again
            }

            var decision = NeighborResponder.Decide(buffer.AsSpan(0, length), Volatile.Read(ref _owned), mac);
            Counters.Count(decision);
            if (decision.Verdict == ResponderVerdict.Malformed)
            {
                LogMalformed(channel.InterfaceIndex, decision.Rejection, length);
            }
            else if (decision.Reply is { } reply)
            {
                try
                {
                    channel.Send(reply);
                }
                catch (SocketException e)
                {
                    Counters.CountSendFailure();
                    LogSendFailed(channel.InterfaceIndex, e.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped malformed frame on interface {InterfaceIndex}: {Reason} ({Length} bytes)")]
    private partial void LogMalformed(int interfaceIndex, FrameRejection reason, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send a reply on interface {InterfaceIndex}: {Error}")]
    private partial void LogSendFailed(int interfaceIndex, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not run the responder at real-time priority {Priority} (errno {Errno}); using normal scheduling")]
    private partial void LogNoRealtime(int priority, int errno);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interface {InterfaceIndex} went down; answering again when it is back up")]
    private partial void LogInterfaceDown(int interfaceIndex);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} listening threads are still inside libpcap; each closes its handle when libpcap returns")]
    private partial void LogStillReading(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopped listening on interface {InterfaceIndex}: {Error}")]
    private partial void LogReceiveFailed(int interfaceIndex, string error);
}
