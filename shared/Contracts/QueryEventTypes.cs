namespace Beacon.Contracts;

/// <summary>CloudEvents types of beaconctl's request/reply queries (see docs/events.md, "Queries").</summary>
public static class QueryEventTypes
{
    public static readonly EventType<StatusQueryRequest> StatusRequest =
        new("io.beacon.query.status.request", 1, ContractsJsonContext.Default.StatusQueryRequest);

    public static readonly EventType<StatusQueryReply> StatusReply =
        new("io.beacon.query.status.reply", 1, ContractsJsonContext.Default.StatusQueryReply);

    public static readonly EventType<ExplainQueryRequest> ExplainRequest =
        new("io.beacon.query.explain.request", 1, ContractsJsonContext.Default.ExplainQueryRequest);

    public static readonly EventType<ExplainQueryReply> ExplainReply =
        new("io.beacon.query.explain.reply", 1, ContractsJsonContext.Default.ExplainQueryReply);

    public static readonly EventType<FailNodeRequest> FailNodeRequest =
        new("io.beacon.lab.fail-node.request", 1, ContractsJsonContext.Default.FailNodeRequest);

    public static readonly EventType<FailNodeReply> FailNodeReply =
        new("io.beacon.lab.fail-node.reply", 1, ContractsJsonContext.Default.FailNodeReply);
}
