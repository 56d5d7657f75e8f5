using Beacon.Allocator.Formats.Status;
using Beacon.Allocator.Reconciling;
using Beacon.Contracts;
using IpamServiceKey = Beacon.Ipam.ServiceKey;

namespace Beacon.Allocator.Controller;

/// <summary>
/// The status users of other load balancers read, written at the end of a batch that changed something (never per
/// Service): IPAddressPool counters and Ready condition, one ServiceL2Status/ServiceBGPStatus per Service and announcing
/// node, and the ConfigurationState naming every rejected resource. Writers skip whatever already reads the same.
/// </summary>
internal sealed partial class AllocationLoop
{
    private ConfigurationState? configurationState;
    private AllocationEngine? statusTerm;

    /// <summary>Where the ServiceL2Status/ServiceBGPStatus objects live: the Allocator's namespace (MetalLB uses its own).</summary>
    public string StatusNamespace { get; init; } = "beacon-system";

    private async Task WriteStatusObjectsAsync(AllocationEngine engine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var statistics = engine.Statistics();
        var pools = source.ForeignResources().Where(IpAddressPoolStatuses.IsIpAddressPool).ToList();
        foreach (var (pool, status) in IpAddressPoolStatuses.Build(pools, engine.Foreign, engine.Groups, statistics, now))
        {
            if (System.Text.Json.Nodes.JsonNode.DeepEquals(pool.Body["status"], status))
            {
                continue;
            }

            try
            {
                await writer.WriteForeignStatusAsync(pool, status, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedWrites);
                LogWriteFailed(logger, pool.Id, e.Message, 1000);
                queue.AddAfter(WorkQueue.Groups, TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }

        try
        {
            var state = ConfigurationStateBuilder.Build(Rejected(engine), configurationState, now);
            // Only Services that hold addresses now: a Service deleted before its nodes withdrew loses its status at once.
            var assigned = engine.Assignments().Select(a => a.Key).ToHashSet();
            var announcing = announcements.Announcing()
                .Where(a => a.Role != AnnouncementRole.Withdrawn && assigned.Contains(new IpamServiceKey(a.Service.Namespace, a.Service.Name)))
                .Select(a => new AnnouncingNode(new IpamServiceKey(a.Service.Namespace, a.Service.Name), a.Node, a.Address, a.Interface, a.Role == AnnouncementRole.Owner, a.Peers));
            var statuses = ServiceAnnouncementStatusBuilder.Build(announcing, StatusNamespace);
            // Each term has its own engine.
            await writer.WriteStatusObjectsAsync(new StatusObjects(statuses, state, !ReferenceEquals(statusTerm, engine)), cancellationToken).ConfigureAwait(false);
            configurationState = state;
            statusTerm = engine;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref failedWrites);
            LogWriteFailed(logger, "status objects", e.Message, 1000);
            queue.AddAfter(WorkQueue.Groups, TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    /// <summary>Every refused resource: foreign ones (by their formats or the engine) and native ServiceGroups.</summary>
    private IReadOnlyList<RejectedResource> Rejected(AllocationEngine engine)
    {
        var foreign = RejectedResources.From(engine.Foreign, engine.Groups);
        var native = source.Groups()
            .Where(g => g.Metadata?.Name is not null)
            .Select(g => (Group: g, Problems: GroupStatusBuilder.Problems(g, engine.Groups)))
            .Where(g => g.Problems.Count > 0)
            .Select(g => new RejectedResource($"ServiceGroup {g.Group.Key}", "api", g.Problems));
        return foreign.Concat(native).ToList();
    }
}
