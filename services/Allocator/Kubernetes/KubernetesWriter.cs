using System.Text.Json.Nodes;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.CustomResources;
using Beacon.Kube.Events;
using Beacon.Kube.Json;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using k8s;
using k8s.Models;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Writes decisions through the official client: annotations by JSON merge patch, then status through the status
/// subresource with optimistic concurrency (a 409 re-reads and re-plans), then an Event when the condition changed.
/// </summary>
internal sealed class KubernetesWriter : IAllocationWriter
{
    private const int MaxAttempts = 10;
    private readonly IKubernetes client;
    private readonly EventRecorder events;
    private readonly TimeProvider time;
    private readonly StatusObjectWriter? statusObjects;

    public KubernetesWriter(IKubernetes client, EventRecorder events, TimeProvider time, StatusObjectWriter? statusObjects = null)
    {
        this.statusObjects = statusObjects;
        this.client = client ?? throw new ArgumentNullException(nameof(client));
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

        var ns = current.Metadata.Namespace ?? "default";
        var name = current.Metadata.Name!;
        var superseded = new List<string>();
        var produced = new List<string>();
        var stored = current;
        if (plan.Annotations is not null)
        {
            superseded.Add(stored.Metadata.ResourceVersion ?? string.Empty);
            var annotations = new JsonObject();
            foreach (var (key, value) in plan.Annotations)
            {
                annotations[key] = value;
            }

            var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
            var patched = await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            stored = ToRecord(patched);
            produced.Add(stored.Metadata.ResourceVersion ?? string.Empty);
        }

        if (plan.Status is not null)
        {
            var before = stored.Metadata.ResourceVersion ?? string.Empty;
            var attemptedFrom = new List<string>();
            stored = await OptimisticWrite.RunAsync(Copy(stored),
                async ct => ToRecord(await client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct).ConfigureAwait(false)),
                fresh =>
                {
                    attemptedFrom.Add(fresh.Metadata.ResourceVersion ?? string.Empty);
                    var again = ServiceStatusPlanner.Plan(fresh, decision, time.GetUtcNow());
                    if (again.Status is null)
                    {
                        return false;
                    }

                    fresh.Status = again.Status;
                    return true;
                },
                async (fresh, ct) => ToRecord(await client.CoreV1.ReplaceNamespacedServiceStatusAsync(
                    ServiceMapping.ToLibraryStatus(fresh), name, ns, cancellationToken: ct).ConfigureAwait(false)),
                MaxAttempts, cancellationToken).ConfigureAwait(false);
            superseded.Add(before);
            superseded.AddRange(attemptedFrom.Where(v => v != stored.Metadata.ResourceVersion));
        }

        if (plan.ConditionChanged && decision.Event is { } e)
        {
            var involved = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Service",
                NamespaceProperty = current.Metadata.Namespace,
                Name = current.Metadata.Name,
                Uid = current.Metadata.Uid,
            };
            await events.RecordAsync(involved, e.Type, e.Reason, e.Message, cancellationToken).ConfigureAwait(false);
        }

        return new ServiceWriteResult(stored, superseded, produced);
    }

    public async Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        var ns = group.Metadata.Namespace ?? "default";
        var name = group.Metadata.Name!;
        await OptimisticWrite.RunAsync(ModelMapping.ToLibrary<ServiceGroupResource, ServiceGroup>(group, KubeJsonContext.Default.ServiceGroup),
            ct => client.CustomObjects.GetNamespacedCustomObjectAsync<ServiceGroupResource>(PureLbResources.Group, PureLbResources.Version, ns,
                PureLbResources.ServiceGroups, name, ct),
            fresh =>
            {
                if (!GroupStatusBuilder.Differs(fresh.Status, status))
                {
                    return false;
                }

                fresh.Status = status;
                return true;
            },
            (fresh, ct) => client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<ServiceGroupResource>(fresh, PureLbResources.Group,
                PureLbResources.Version, ns, PureLbResources.ServiceGroups, name, cancellationToken: ct),
            MaxAttempts, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteForeignStatusAsync(Formats.ForeignResource resource, JsonObject status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(status);
        var slash = resource.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        var kind = ForeignKinds.All.Single(k => k.ApiVersion == resource.ApiVersion && k.Kind == resource.Kind);
        var (group, version, plural, name, ns) = (resource.ApiVersion[..slash], resource.ApiVersion[(slash + 1)..], kind.Plural, resource.Name, resource.Namespace);
        var wanted = System.Text.Json.JsonDocument.Parse(status.ToJsonString()).RootElement.Clone();
        // The informer's copy (with its resourceVersion) first: one request when it is current.
        var first = KubernetesJson.Deserialize<CustomObjectResource>(resource.Body.ToJsonString());
        await OptimisticWrite.RunAsync(first,
            ct => ns is null
                ? client.CustomObjects.GetClusterCustomObjectAsync<CustomObjectResource>(group, version, plural, name, ct)
                : client.CustomObjects.GetNamespacedCustomObjectAsync<CustomObjectResource>(group, version, ns, plural, name, ct),
            fresh =>
            {
                fresh.Rest ??= [];
                if (fresh.Rest.TryGetValue("status", out var current) && System.Text.Json.JsonElement.DeepEquals(current, wanted))
                {
                    return false;
                }

                fresh.Rest["status"] = wanted;
                return true;
            },
            (fresh, ct) => ns is null
                ? client.CustomObjects.ReplaceClusterCustomObjectStatusAsync<CustomObjectResource>(fresh, group, version, plural, name, cancellationToken: ct)
                : client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<CustomObjectResource>(fresh, group, version, ns, plural, name, cancellationToken: ct),
            MaxAttempts, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteStatusObjectsAsync(Formats.Status.StatusObjects objects, CancellationToken cancellationToken) =>
        statusObjects?.WriteAsync(objects, cancellationToken) ?? Task.CompletedTask;

    public Task ForgetServiceAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Service ToRecord(V1Service service) => ServiceMapping.ToRecord(service);

    /// <summary>Cache objects are shared: plan on a copy. Only its Status is ever replaced (never changed in place), so
    /// a shallow copy keeps the cached object intact.</summary>
    private static Service Copy(Service service) => new()
    {
        ApiVersion = service.ApiVersion,
        Kind = service.Kind,
        Metadata = service.Metadata,
        Spec = service.Spec,
        Status = service.Status,
        ExtensionData = service.ExtensionData,
    };
}
