using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// One heartbeat subscription per membership scope of this node (its subnets, see <see cref="MembershipScope"/>), so the
/// agent hears only the peers it elects with. <see cref="SetAsync"/> moves the subscriptions when the subnets change:
/// new scopes are subscribed before old ones are dropped, so a peer on a kept subnet is never missed. A heartbeat whose
/// node or scope differs from its subject is forged and dropped (counted by the reporter).
/// </summary>
public sealed class ScopedHeartbeatSubscriptions(IEventBus bus, string selfNode, Action<NodeHeartbeat, string> heard, DroppedMessageReporter dropped)
    : IAsyncDisposable
{
    private readonly Dictionary<string, IAsyncDisposable> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>The scopes subscribed now, ordered.</summary>
    public IReadOnlyList<string> Scopes => [.. _subscriptions.Keys.Order(StringComparer.Ordinal)];

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

        return left;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions.Values)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        _subscriptions.Clear();
    }

    private ValueTask<IAsyncDisposable> SubscribeAsync(string scope, CancellationToken cancellationToken)
    {
        // The last heartbeat decoded per subject (one pump per subscription: no lock). A heartbeat repeating it byte for
        // byte but for its id and times is taken as that one, undecoded (RepeatedHeartbeatBytes).
        var last = new Dictionary<string, (byte[] Bytes, NodeHeartbeat Heartbeat)>(StringComparer.Ordinal);
        return bus.SubscribeAsync(
            Subjects.ScopeHeartbeats(scope, selfNode),
            (message, _) =>
            {
                var payload = message.Payload.Span;
                if (last.TryGetValue(message.Subject, out var previous) && RepeatedHeartbeatBytes.Repeats(previous.Bytes, payload))
                {
                    heard(previous.Heartbeat, scope);
                    return ValueTask.CompletedTask;
                }

                var decoded = CloudEventCodec.Decode(payload, EventTypes.NodeHeartbeat);
                var error = decoded.Error ?? (Subjects.TryParseScopedHeartbeat(message.Subject, out var node, out var subjectScope) && node == decoded.Value!.Node && subjectScope == scope
                    ? null
                    : new DecodeError(DecodeErrorKind.SubjectMismatch, $"heartbeat for node '{decoded.Value!.Node}' arrived on {message.Subject}"));
                if (error is not null)
                {
                    dropped.Dropped(error, message.Subject);
                    return ValueTask.CompletedTask;
                }

                last[message.Subject] = (payload.ToArray(), decoded.Value!);
                heard(decoded.Value!, scope);
                return ValueTask.CompletedTask;
            },
            cancellationToken: cancellationToken);
    }
}
