using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Controller;

/// <summary>Where decisions are written: Service status/annotations/Events in Kubernetes, or the state file.</summary>
internal interface IAllocationWriter
{
    /// <summary>
    /// Brings <paramref name="current"/> in line with <paramref name="decision"/>; writes nothing when it already is.
    /// Returns the stored object after the last write and the versions it superseded (null when nothing was written),
    /// so a cache that has not caught up yet is not mistaken for a reason to write again.
    /// </summary>
    Task<ServiceWriteResult?> WriteServiceAsync(Service current, ServiceDecision decision, CancellationToken cancellationToken);

    Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a foreign object's <c>.status</c> (an OpenELB Eip's) through its status subresource; sources that have
    /// nowhere to put it (standalone manifests) ignore it.
    /// </summary>
    Task WriteForeignStatusAsync(Formats.ForeignResource resource, System.Text.Json.Nodes.JsonObject status, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Makes the API show exactly these status objects (ServiceL2Status/ServiceBGPStatus, ConfigurationState), writing
    /// only what differs from what it shows; sources without such objects (standalone manifests) ignore it.
    /// </summary>
    Task WriteStatusObjectsAsync(Formats.Status.StatusObjects objects, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A Service is gone: forget what was written for it.</summary>
    Task ForgetServiceAsync(string key, CancellationToken cancellationToken);

    /// <summary>End of a batch: persist whatever is buffered.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
