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

    public static readonly EventType<BgpPeerSet> BgpPeers =
        new("io.beacon.bgp.peers", 1, ContractsJsonContext.Default.BgpPeerSet);

    public static readonly EventType<NodeAgentConfigSet> NodeAgentConfig =
        new("io.beacon.nodeagent.config", 1, ContractsJsonContext.Default.NodeAgentConfigSet);
}
