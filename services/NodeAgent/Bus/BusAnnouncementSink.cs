using System.Diagnostics;
using System.Threading.Channels;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Bus;

/// <summary>
/// Publishes announcements on <c>beacon.v1.announcements.&lt;node&gt;</c> from a queue, so the reconciler never waits on
/// the network, and after each burst the node's whole current holding as its status on
/// <c>beacon.v1.nodes.&lt;node&gt;.status</c> (kept by the BEACON_NODES stream), again after every reconnect. While the
/// bus is down announcements are dropped, but the status published on its return says what the node holds. The status
/// also carries the node's strictARP finding, and goes out again whenever that finding changes.
/// </summary>
public sealed class BusAnnouncementSink : IAnnouncementSink, IAsyncDisposable
{
    private readonly Channel<Announcement?> _queue = Channel.CreateUnbounded<Announcement?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NodeHoldings _holdings = new();
    private readonly string _node;
    private readonly string _statusSubject;
    private readonly IEventBus _bus;
    private readonly string _subject;
    private readonly string _source;
    private readonly Task _pump;
    private readonly Agent.StrictArpFinding? _strictArp;

    public BusAnnouncementSink(IEventBus bus, string node, Agent.StrictArpFinding? strictArp = null)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _subject = Subjects.Announcements(node);
        _node = node;
        _statusSubject = Subjects.NodeStatus(node);
        _bus.StateChanged += OnBusStateChanged;
        _strictArp = strictArp;
        if (_strictArp is not null)
        {
            _strictArp.Changed += OnStrictArpChanged;
        }

        // A (re)started agent holds nothing yet: its status says so until it has announced again.
        _queue.Writer.TryWrite(null);
        _source = EventSource(node);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The CloudEvents source of everything this agent publishes.</summary>
    public static string EventSource(string node) => "/beacon/nodeagent/" + node;

    public void Publish(Announcement announcement) => _queue.Writer.TryWrite(announcement);

    /// <summary>Publishes what is queued, then stops; waits at most <paramref name="timeout"/>.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_pump, Task.Delay(timeout)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _bus.StateChanged -= OnBusStateChanged;
        if (_strictArp is not null)
        {
            _strictArp.Changed -= OnStrictArpChanged;
        }

        await DrainAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }

    /// <summary>After a reconnect the status goes out again: the stream may have lost it, and announcements were dropped.</summary>
    private void OnBusStateChanged(object? sender, BusStateChangedEventArgs e)
    {
        if (e.Change is BusStateChange.Connected or BusStateChange.Reconnected)
        {
            _queue.Writer.TryWrite(null);
        }
    }

    private void OnStrictArpChanged(object? sender, EventArgs e) => _queue.Writer.TryWrite(null);

    private async Task PumpAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                // One status per burst of announcements (or per reconnect), not one per announcement. A burst of 1,000
                // Services reaches the queue over many reconcile passes: waiting for a short lull (bounded) before the
                // status keeps it to a few statuses instead of one whole-holding document per pass.
                var burstEnds = Stopwatch.GetTimestamp() + (long)(StatusLatest.TotalSeconds * Stopwatch.Frequency);
                do
                {
                    while (_queue.Reader.TryRead(out var announcement))
                    {
                        if (announcement is not null)
                        {
                            _holdings.Apply(announcement);
                            await _bus.PublishEventAsync(_subject, EventTypes.Announcement, announcement, _source, announcement.Node).ConfigureAwait(false);
                        }
                    }
                }
                while (Stopwatch.GetTimestamp() < burstEnds && await MoreWithinAsync(StatusLull).ConfigureAwait(false));

                await _bus.PublishEventAsync(_statusSubject, EventTypes.NodeStatus, _holdings.Status(_node, DateTimeOffset.UtcNow, _strictArp?.Problem), _source, _node)
                    .ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>How long the queue must stay empty before the status goes out.</summary>
    private static readonly TimeSpan StatusLull = TimeSpan.FromMilliseconds(20);

    /// <summary>The status never trails the first announcement of a burst by more than this.</summary>
    private static readonly TimeSpan StatusLatest = TimeSpan.FromMilliseconds(250);

    private async Task<bool> MoreWithinAsync(TimeSpan lull)
    {
        using var quiet = new CancellationTokenSource(lull);
        try
        {
            return await _queue.Reader.WaitToReadAsync(quiet.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
