using Beacon.Contracts;

namespace Beacon.Allocator.Controller;

/// <summary>Receives the desired state node agents act on (published on NATS, or discarded when no bus is configured).</summary>
internal interface IDesiredStateSink
{
    /// <summary>Starts a leadership term: a fresh epoch, so agents resynchronise with the new leader.</summary>
    Task BeginTermAsync(CancellationToken cancellationToken);

    Task EndTermAsync();

    Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken);

    Task ReleaseAsync(ServiceKey service, CancellationToken cancellationToken);
}
