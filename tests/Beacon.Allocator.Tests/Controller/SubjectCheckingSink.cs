using System.Collections.Concurrent;
using Beacon.Allocator.Controller;
using Beacon.Contracts;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>Builds the NATS subject of every change like the real sink does (so a name it cannot carry throws the same way).</summary>
internal sealed class SubjectCheckingSink : IDesiredStateSink
{
    public ConcurrentDictionary<ServiceKey, AllocationChanged> Published { get; } = new();

    public Task BeginTermAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task TermConvergedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EndTermAsync() => Task.CompletedTask;

    public Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken)
    {
        _ = Subjects.Allocation(change.Service);
        Published[change.Service] = change;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(ServiceKey service, CancellationToken cancellationToken)
    {
        _ = Subjects.Allocation(service);
        Published.TryRemove(service, out _);
        return Task.CompletedTask;
    }
}
