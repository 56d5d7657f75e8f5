using Beacon.Contracts;

namespace Beacon.Allocator.Controller;

/// <summary>For running without NATS (e.g. tests of the Kubernetes side alone): the desired state goes nowhere.</summary>
internal sealed class NoDesiredStateSink : IDesiredStateSink
{
    public Task BeginTermAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task TermConvergedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EndTermAsync() => Task.CompletedTask;

    public Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReleaseAsync(ServiceKey service, CancellationToken cancellationToken) => Task.CompletedTask;
}
