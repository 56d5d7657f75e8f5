using Beacon.Allocator.Controller;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// The standalone counterpart of the Kubernetes writer: statuses and annotations go to the in-memory store and are
/// saved to the state file at the end of each batch; Events go to the log; the status objects a cluster would hold go
/// to the status objects file beside the state file.
/// </summary>
internal sealed partial class StateFileWriter : IAllocationWriter
{
    private readonly StandaloneStatusStore store;
    private readonly AssignmentStateFile file;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Lock groupGate = new();
    private readonly Dictionary<string, ServiceGroupStatus> groupStatuses = new(StringComparer.Ordinal);
    private readonly StatusObjectsFile statusObjects;
    private readonly string statusNamespace;

    public StateFileWriter(StandaloneStatusStore store, AssignmentStateFile file, ILogger logger, TimeProvider time, string statusNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(statusNamespace);
        this.statusNamespace = statusNamespace;
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.file = file ?? throw new ArgumentNullException(nameof(file));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        statusObjects = new StatusObjectsFile(file.Path);
    }

    /// <summary>Last status computed per ServiceGroup ("namespace/name").</summary>
    public IReadOnlyDictionary<string, ServiceGroupStatus> GroupStatuses
    {
        get
        {
            lock (groupGate)
            {
                return new Dictionary<string, ServiceGroupStatus>(groupStatuses);
            }
        }
    }

    public Task<ServiceWriteResult?> WriteServiceAsync(Service current, ServiceDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        var now = time.GetUtcNow();
        var plan = ServiceStatusPlanner.Plan(current, decision, now);
        if (plan.NothingToDo)
        {
            return Task.FromResult<ServiceWriteResult?>(null);
        }

        store.Set(current.Key, current.Metadata.Namespace, current.Metadata.Name, current.Metadata.CreationTimestamp ?? now, plan.Status,
            plan.Annotations ?? new Dictionary<string, string?>());
        if (plan.ConditionChanged && decision.Event is { } e)
        {
            if (e.Type == ServiceEventRecord.Warning)
            {
                LogWarningEvent(logger, current.Key, e.Reason, e.Message);
            }
            else
            {
                LogNormalEvent(logger, current.Key, e.Reason, e.Message);
            }
        }

        // The source overlays the store, so the next read already shows this write.
        return Task.FromResult<ServiceWriteResult?>(null);
    }

    public Task WriteGroupStatusAsync(ServiceGroup group, ServiceGroupStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        lock (groupGate)
        {
            groupStatuses[group.Key] = status;
        }

        group.Status = status;
        return Task.CompletedTask;
    }

    public Task WriteStatusObjectsAsync(Formats.Status.StatusObjects objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        try
        {
            statusObjects.Save(StatusObjectsFile.Render(objects, statusNamespace));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only what users read: allocation goes on; the next batch writes it again.
            LogStatusSaveFailed(logger, statusObjects.Path, e.Message);
        }

        return Task.CompletedTask;
    }

    public Task ForgetServiceAsync(string key, CancellationToken cancellationToken)
    {
        store.Remove(key);
        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        if (store.TakeChanges() is { } services)
        {
            try
            {
                file.Save(services);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Keep running on the in-memory state; try again with the next change.
                LogSaveFailed(logger, file.Path, e.Message);
                store.MarkDirty();
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service {Service}: {Reason}: {Message}")]
    private static partial void LogNormalEvent(ILogger logger, string service, string reason, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service {Service}: {Reason}: {Message}")]
    private static partial void LogWarningEvent(ILogger logger, string service, string reason, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save assignments to {Path}: {Reason}; retrying on the next change")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the status objects to {Path}: {Reason}; retrying on the next change")]
    private static partial void LogStatusSaveFailed(ILogger logger, string path, string reason);
}
