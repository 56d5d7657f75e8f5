using Beacon.Kube.Models;

namespace Beacon.Allocator.Reconciling;

/// <summary>
/// The writes needed to bring one Service in line with its decision: a new status (null: status is already right),
/// a metadata annotation patch (null: annotations are already right), and whether the condition changed (the moment
/// to record an Event, so restarts and resyncs do not repeat Events).
/// </summary>
internal sealed record ServiceStatusPlan(ServiceStatus? Status, IReadOnlyDictionary<string, string?>? Annotations, bool ConditionChanged)
{
    public bool NothingToDo => Status is null && Annotations is null;
}
