namespace Beacon.Contracts;

/// <summary>Every event type Beacon publishes.</summary>
public static class EventTypes
{
    public static readonly EventType<AllocationChanged> AllocationChanged =
        new("io.beacon.allocation.changed", 1, ContractsJsonContext.Default.AllocationChanged);

    public static readonly EventType<AllocationReleased> AllocationReleased =
        new("io.beacon.allocation.released", 1, ContractsJsonContext.Default.AllocationReleased);

    public static readonly EventType<NodeHeartbeat> NodeHeartbeat =
        new("io.beacon.node.heartbeat", 1, ContractsJsonContext.Default.NodeHeartbeat);

    public static readonly EventType<Announcement> Announcement =
        new("io.beacon.announcement", 1, ContractsJsonContext.Default.Announcement);

    public static readonly EventType<NodeStatusReport> NodeStatus =
        new("io.beacon.node.status", 1, ContractsJsonContext.Default.NodeStatusReport);

    public static readonly EventType<SnapshotRequest> SnapshotRequest =
        new("io.beacon.snapshot.request", 1, ContractsJsonContext.Default.SnapshotRequest);

    public static readonly EventType<SnapshotPage> SnapshotPage =
        new("io.beacon.snapshot.page", 1, ContractsJsonContext.Default.SnapshotPage);

    public static readonly EventType<DesiredStateDigest> Digest =
        new("io.beacon.digest", 1, ContractsJsonContext.Default.DesiredStateDigest);
}
