using Beacon.Contracts;

namespace Beacon.Messaging;

/// <summary>Typed publish/subscribe: CloudEvents envelopes in, validated payloads out; bad messages are counted and dropped.</summary>
public static class EventBusExtensions
{
    /// <param name="eventSubject">The CloudEvents <c>subject</c> attribute (e.g. <c>namespace/service</c> or the node name).</param>
    public static ValueTask<bool> PublishEventAsync<T>(
        this IEventBus bus,
        string subject,
        EventType<T> type,
        T data,
        string source,
        string? eventSubject = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return bus.PublishAsync(subject, CloudEventCodec.Encode(type, data, source, eventSubject), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Subscribes to <paramref name="subject"/> and hands each valid <typeparamref name="T"/> to <paramref name="handler"/>.
    /// Messages that do not decode, or that <paramref name="validate"/> rejects, go to <paramref name="reporter"/>.
    /// </summary>
    public static ValueTask<IAsyncDisposable> SubscribeEventsAsync<T>(
        this IEventBus bus,
        string subject,
        EventType<T> type,
        Func<T, BusMessage, CancellationToken, ValueTask> handler,
        DroppedMessageReporter reporter,
        Func<BusMessage, T, DecodeError?>? validate = null,
        int maxBytes = CloudEventCodec.DefaultMaxBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(reporter);
        return bus.SubscribeAsync(
            subject,
            (message, ct) =>
            {
                var decoded = CloudEventCodec.Decode(message.Payload.Span, type, maxBytes);
                var error = decoded.Error ?? validate?.Invoke(message, decoded.Value!);
                if (error is not null)
                {
                    reporter.Dropped(error, message.Subject);
                    return ValueTask.CompletedTask;
                }

                return handler(decoded.Value!, message, ct);
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>Every node's heartbeats; a heartbeat whose node differs from its subject's node is forged and dropped.</summary>
    public static ValueTask<IAsyncDisposable> SubscribeHeartbeatsAsync(
        this IEventBus bus,
        Func<NodeHeartbeat, CancellationToken, ValueTask> handler,
        DroppedMessageReporter reporter,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return bus.SubscribeEventsAsync(
            Subjects.AllHeartbeats,
            EventTypes.NodeHeartbeat,
            (heartbeat, _, ct) => handler(heartbeat, ct),
            reporter,
            (message, heartbeat) => Subjects.TryParseHeartbeat(message.Subject, out var node) && node == heartbeat.Node
                ? null
                : new DecodeError(DecodeErrorKind.SubjectMismatch, $"heartbeat for node '{heartbeat.Node}' arrived on {message.Subject}"),
            cancellationToken: cancellationToken);
    }

    /// <summary>Every node's announcements; one whose node differs from its subject's node is forged and dropped.</summary>
    public static ValueTask<IAsyncDisposable> SubscribeAnnouncementsAsync(
        this IEventBus bus,
        Func<Announcement, CancellationToken, ValueTask> handler,
        DroppedMessageReporter reporter,
        string subject = Subjects.AllAnnouncements,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return bus.SubscribeEventsAsync(
            subject,
            EventTypes.Announcement,
            (announcement, _, ct) => handler(announcement, ct),
            reporter,
            (message, announcement) => Subjects.TryParseAnnouncements(message.Subject, out var node) && node == announcement.Node
                ? null
                : new DecodeError(DecodeErrorKind.SubjectMismatch, $"announcement for node '{announcement.Node}' arrived on {message.Subject}"),
            cancellationToken: cancellationToken);
    }
}
