using System.Threading.Channels;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Bus;

/// <summary>
/// Publishes announcements on <c>beacon.v1.announcements.&lt;node&gt;</c> from a queue, so the reconciler never waits on
/// the network. While the bus is down they are dropped: they report changes, and the state they describe is also
/// visible in every heartbeat-driven view and in the kernel.
/// </summary>
public sealed class BusAnnouncementSink : IAnnouncementSink, IAsyncDisposable
{
    private readonly Channel<Announcement> _queue = Channel.CreateUnbounded<Announcement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IEventBus _bus;
    private readonly string _subject;
    private readonly string _source;
    private readonly Task _pump;

    public BusAnnouncementSink(IEventBus bus, string node)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _subject = Subjects.Announcements(node);
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

    public async ValueTask DisposeAsync() => await DrainAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);

    private async Task PumpAsync()
    {
        await foreach (var announcement in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _bus.PublishEventAsync(_subject, EventTypes.Announcement, announcement, _source, announcement.Node).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
