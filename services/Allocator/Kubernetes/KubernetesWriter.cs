using Beacon.Allocator.Controller;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Client;
using Beacon.Kube.Events;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Writes decisions to the API: annotations by JSON merge patch, then status through the status subresource with
/// optimistic concurrency (a 409 re-reads and re-plans), then an Event when the condition changed.
/// </summary>
internal sealed class KubernetesWriter : IAllocationWriter
{
    private readonly ResourceClient<Service> services;
    private readonly ResourceClient<ServiceGroup> groups;
    private readonly EventRecorder events;
    private readonly TimeProvider time;

    public KubernetesWriter(KubeApiClient client, EventRecorder events, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        services = client.For(KubeResources.Services);
        groups = client.For(KubeResources.ServiceGroups);
        this.events = events ?? throw new ArgumentNullException(nameof(events));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public async Task<ServiceWriteResult?> WriteServiceAsync(Service current, ServiceDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        var plan = ServiceStatusPlanner.Plan(current, decision, time.GetUtcNow());
        if (plan.NothingToDo)
        {
            return null;
        }

        var superseded = new List<string>();
        var stored = current;
        if (plan.Annotations is not null)
        {
            superseded.Add(stored.Metadata.ResourceVersion ?? string.Empty);
            stored = await services.PatchMetadataAsync(current.Metadata.Namespace, current.Metadata.Name!, plan.Annotations, null, cancellationToken)
                .ConfigureAwait(false);
        }

        if (plan.Status is not null)
        {
            var before = stored.Metadata.ResourceVersion ?? string.Empty;
            var attemptedFrom = new List<string>();
            stored = await services.UpdateStatusWithRetryAsync(stored, fresh =>
            {
                attemptedFrom.Add(fresh.Metadata.ResourceVersion ?? string.Empty);
                var again = ServiceStatusPlanner.Plan(fresh, decision, time.GetUtcNow());
                if (again.Status is null)
                {
                    return false;
                }

                fresh.Status = again.Status;
                return true;
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
            superseded.Add(before);
            superseded.AddRange(attemptedFrom.Where(v => v != stored.Metadata.ResourceVersion));
        }

        if (plan.ConditionChanged && decision.Event is { } e)
        {
            var involved = new ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Service",
                Namespace = current.Metadata.Namespace,
                Name = current.Metadata.Name,
                Uid = current.Metadata.Uid,
            };
            await events.RecordAsync(involved, e.Type, e.Reason, e.Message, cancellationToken).ConfigureAwait(false);
        }

        return new ServiceWriteResult(stored, superseded);
    }

    public async Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        await groups.UpdateStatusWithRetryAsync(group, fresh =>
        {
            if (!GroupStatusBuilder.Differs(fresh.Status, status))
            {
                return false;
            }

            fresh.Status = status;
            return true;
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public Task ForgetServiceAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
