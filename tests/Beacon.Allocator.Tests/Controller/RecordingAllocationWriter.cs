using System.Collections.Concurrent;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>Applies planned statuses to the objects in place (as the API server would) and counts writes.</summary>
internal sealed class RecordingAllocationWriter : IAllocationWriter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> waiting = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Addresses { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes with the first address written for <paramref name="key"/>.</summary>
    public Task<string> AddressOfAsync(string key) =>
        waiting.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task<ServiceWriteResult?> WriteServiceAsync(Service current, ServiceDecision decision, CancellationToken cancellationToken)
    {
        var plan = ServiceStatusPlanner.Plan(current, decision, DateTimeOffset.UnixEpoch);
        if (plan.Status is not null)
        {
            current.Status = plan.Status;
        }

        var key = current.Key;
        var address = string.Join(",", current.Status?.LoadBalancer?.Ingress?.Select(i => i.IP) ?? []);
        Addresses[key] = address;
        if (address.Length > 0)
        {
            AddressOfAsync(key);
            waiting[key].TrySetResult(address);
        }

        return Task.FromResult<ServiceWriteResult?>(null);
    }

    public Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken)
    {
        group.Status = status;
        return Task.CompletedTask;
    }

    public Task ForgetServiceAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
