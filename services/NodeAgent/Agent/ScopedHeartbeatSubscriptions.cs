using Beacon.Contracts;
using Beacon.Messaging;

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

    private ValueTask<IAsyncDisposable> SubscribeAsync(string scope, CancellationToken cancellationToken) =>
        bus.SubscribeEventsAsync(
            Subjects.ScopeHeartbeats(scope, selfNode),
            EventTypes.NodeHeartbeat,
            (heartbeat, _, _) =>
            {
                heard(heartbeat, scope);
                return ValueTask.CompletedTask;
            },
            dropped,
            (message, heartbeat) => Subjects.TryParseScopedHeartbeat(message.Subject, out var node, out var subjectScope) && node == heartbeat.Node && subjectScope == scope
                ? null
                : new DecodeError(DecodeErrorKind.SubjectMismatch, $"heartbeat for node '{heartbeat.Node}' arrived on {message.Subject}"),
            cancellationToken: cancellationToken);
}
