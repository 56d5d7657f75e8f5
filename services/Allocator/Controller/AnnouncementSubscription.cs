using Beacon.Messaging;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Controller;

/// <summary>Feeds node agents' announcements into the tracker and queues the Services whose announcers changed.</summary>
internal static class AnnouncementSubscription
{
    public static async Task<IAsyncDisposable> StartAsync(IEventBus? bus, AnnouncementTracker tracker, WorkQueue queue, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(loggers);
        if (bus is null)
        {
            return new Nothing();
        }

        var reporter = new DroppedMessageReporter(loggers.CreateLogger("Beacon.Allocator.Announcements"), new MessagingCounters());
        return await bus.SubscribeAnnouncementsAsync(
            (announcement, _) =>
            {
                if (tracker.Record(announcement))
                {
                    queue.Add(announcement.Service.ToString());
                }

                return ValueTask.CompletedTask;
            },
            reporter,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
