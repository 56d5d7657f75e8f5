using Beacon.Contracts;

namespace Beacon.Allocator.Controller;

/// <summary>Receives the desired state node agents act on (published on NATS, or discarded when no bus is configured).</summary>
internal interface IDesiredStateSink
{
    /// <summary>Starts a leadership term: a fresh epoch; the streams are read and completed.</summary>
    Task BeginTermAsync(CancellationToken cancellationToken);

    /// <summary>The term's first full pass is done: anything still published from before that no Service needs is released.</summary>
    Task TermConvergedAsync(CancellationToken cancellationToken);

    Task EndTermAsync();

    Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken);

    Task ReleaseAsync(ServiceKey service, CancellationToken cancellationToken);

    /// <summary>The cluster's whole set of BGP peers (nodes run their sessions without Services); unchanged sets are not republished.</summary>
    Task PublishPeersAsync(IReadOnlyList<BgpPeerConfig> peers, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every accepted LBNodeAgent, for the node agents to apply; unchanged sets are not republished.</summary>
    Task PublishNodeAgentConfigAsync(IReadOnlyList<NodeAgentConfig> agents, CancellationToken cancellationToken) => Task.CompletedTask;
}
