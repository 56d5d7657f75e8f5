using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Controller;

/// <summary>
/// Feeds node agents' announcements into the tracker and queues the Services whose announcers changed: live
/// announcements from a core subscription, and every node's current holdings from the BEACON_NODES stream, read from
/// its start whenever the Allocator starts or reconnects. So a restarted Allocator knows who announces what at once,
/// without waiting for anything to change.
/// </summary>
internal static class AnnouncementSubscription
{
    /// <param name="statusHeard">Also given every valid node status (Kubernetes mode: the nodes' strictARP findings).</param>
    public static async Task<IAsyncDisposable> StartAsync(IEventBus? bus, AnnouncementTracker tracker, WorkQueue queue, ILoggerFactory loggers,
        CancellationToken cancellationToken, Action<NodeStatusReport>? statusHeard = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(loggers);
        if (bus is null)
        {
            return new Both(null, null);
        }

        var logger = loggers.CreateLogger("Beacon.Allocator.Announcements");
        var reporter = new DroppedMessageReporter(logger, new MessagingCounters());
        var live = await bus.SubscribeAnnouncementsAsync(
            (announcement, _) =>
            {
                if (tracker.Record(announcement))
                {
                    queue.AddTrailing(announcement.Service.ToString());
                }

                return ValueTask.CompletedTask;
            },
            reporter,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (bus is not Messaging.Nats.NatsEventBus)
        {
            return new Both(live, null);
        }

        var statuses = new LastValueReader(
            bus,
            BeaconStreams.Nodes,
            (message, _) =>
            {
                var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.NodeStatus);
                var error = decoded.Error
                    ?? (Subjects.TryParseNodeStatus(message.Subject, out var node) && node == decoded.Value!.Node
                        ? null
                        : new DecodeError(DecodeErrorKind.SubjectMismatch, $"status of node '{decoded.Value!.Node}' arrived on {message.Subject}"));
                if (error is not null)
                {
                    reporter.Dropped(error, message.Subject);
                    return ValueTask.CompletedTask;
                }

                statusHeard?.Invoke(decoded.Value!);
                foreach (var service in tracker.ReplaceNode(decoded.Value!))
                {
                    queue.AddTrailing(service);
                }

                return ValueTask.CompletedTask;
            },
            () => { },
            logger);
        statuses.Start();
        return new Both(live, statuses);
    }

    private sealed class Both(IAsyncDisposable? live, IAsyncDisposable? statuses) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (live is not null)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }

            if (statuses is not null)
            {
                await statuses.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
