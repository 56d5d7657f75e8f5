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
}
