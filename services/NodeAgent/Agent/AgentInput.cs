using Beacon.Contracts;

namespace Beacon.NodeAgent.Agent;

/// <summary>Something the agent loop must react to. Producers (bus, kernel monitor) only enqueue; the loop decides.</summary>
public abstract record AgentInput
{
    /// <summary>
    /// Every node's stored status, read once at start: who owns what on our subnets (see <see cref="Domain.ExpectedPeers"/>).
    /// The agent takes them (<see cref="Take"/>) and the input keeps
    /// nothing: a slot of the agent loop's long-lived frame may go on referencing the input itself.
    /// </summary>
    public sealed record StatusesRead : AgentInput
    {
        private IReadOnlyList<NodeStatusReport>? _statuses;

        public StatusesRead(IReadOnlyList<NodeStatusReport> statuses) => _statuses = statuses;

        public IReadOnlyList<NodeStatusReport> Take() => Interlocked.Exchange(ref _statuses, null) ?? [];
    }

    /// <param name="Services">The replica's immutable view (not a copy: 1,000 changes in a burst must not copy 1,000 × 1,000 entries).</param>
    public sealed record DesiredStateChanged(IEnumerable<AllocationChanged> Services) : AgentInput;

    public sealed record BusStateChanged(bool Connected) : AgentInput;

    /// <summary>Our interface changed (state, carrier, addresses), or notifications were lost.</summary>
    public sealed record LinkChanged : AgentInput;

    /// <summary>One of our addresses disappeared (deleted by someone, expired): repair at once.</summary>
    public sealed record OwnAddressRemoved : AgentInput;

    /// <summary>The published LBNodeAgents changed: resolve this node's settings again.</summary>
    public sealed record NodeConfigChanged : AgentInput;
}
