using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.NodeAgent.Bus;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// One heartbeat subscription per membership scope of this node (its subnets, see <see cref="MembershipScope"/>), so the
/// agent hears only the peers it elects with. <see cref="SetAsync"/> moves the subscriptions when the subnets change:
/// new scopes are subscribed before old ones are dropped, so a peer on a kept subnet is never missed. A heartbeat whose
/// node or scope differs from its subject is forged and dropped (counted by the reporter). On NATS each subscription is
/// handled inline on the connection's read loop (<see cref="InlineNatsSubscription"/>): a repeated heartbeat costs a byte
/// comparison and a queue entry, with no copy and no task switch.
/// </summary>
public sealed class ScopedHeartbeatSubscriptions(IEventBus bus, string selfNode, Action<NodeHeartbeat, string> heard, DroppedMessageReporter dropped)
    : IAsyncDisposable
{
    private readonly Dictionary<string, IAsyncDisposable> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>The scopes subscribed now, ordered.</summary>
    public IReadOnlyList<string> Scopes { get; private set; } = [];

    /// <summary>Subscribes to exactly <paramref name="scopes"/>; returns the scopes just dropped.</summary>
    public async Task<IReadOnlyList<string>> SetAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes.Where(s => !_subscriptions.ContainsKey(s)))
        {
            _subscriptions[scope] = await SubscribeAsync(scope, cancellationToken).ConfigureAwait(false);
        }

        var left = _subscriptions.Keys.Where(s => !scopes.Contains(s)).Order(StringComparer.Ordinal).ToList();
        foreach (var scope in left)
        {
            await _subscriptions[scope].DisposeAsync().ConfigureAwait(false);
            _subscriptions.Remove(scope);
        }

        Scopes = [.. _subscriptions.Keys.Order(StringComparer.Ordinal)];
        return left;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions.Values)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        _subscriptions.Clear();
        Scopes = [];
    }

    private async ValueTask<IAsyncDisposable> SubscribeAsync(string scope, CancellationToken cancellationToken)
    {
        // The last heartbeat decoded per subject (messages of one subscription are handled one at a time: no lock). A
        // heartbeat repeating it byte for byte but for its id and times is taken as that one, undecoded (RepeatedHeartbeatBytes).
        var last = new Dictionary<string, (byte[] Bytes, NodeHeartbeat Heartbeat)>(StringComparer.Ordinal);
        void Handle(string subject, ReadOnlySpan<byte> payload)
        {
            if (last.TryGetValue(subject, out var previous) && RepeatedHeartbeatBytes.Repeats(previous.Bytes, payload))
            {
                heard(previous.Heartbeat, scope);
                return;
            }

            var decoded = CloudEventCodec.Decode(payload, EventTypes.NodeHeartbeat);
            var error = decoded.Error ?? (Subjects.TryParseScopedHeartbeat(subject, out var node, out var subjectScope) && node == decoded.Value!.Node && subjectScope == scope
                ? null
                : new DecodeError(DecodeErrorKind.SubjectMismatch, $"heartbeat for node '{decoded.Value!.Node}' arrived on {subject}"));
            if (error is not null)
            {
                dropped.Dropped(error, subject);
                return;
            }

            last[subject] = (payload.ToArray(), decoded.Value!);
            heard(decoded.Value!, scope);
        }

        var subject = Subjects.ScopeHeartbeats(scope, selfNode);
        if (bus is NatsEventBus nats)
        {
            return await InlineNatsSubscription.StartAsync(nats, subject, Handle, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }

        return await bus.SubscribeAsync(
            subject,
            (message, _) =>
            {
                Handle(message.Subject, message.Payload.Span);
                return ValueTask.CompletedTask;
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
