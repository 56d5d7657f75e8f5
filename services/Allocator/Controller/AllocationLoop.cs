using Beacon.Allocator.Formats;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Ipam;
using Microsoft.Extensions.Logging;
using ContractKey = Beacon.Contracts.ServiceKey;
using KubeService = Beacon.Kube.Models.Service;

namespace Beacon.Allocator.Controller;

/// <summary>
/// One leadership term of the Allocator: restore from what Services already show, then reconcile queued keys in
/// batches. Decisions are computed one at a time (the engine is single-threaded); the resulting writes of a batch
/// go out in parallel, each key at most once per batch, so a key's writes never overtake each other.
/// </summary>
internal sealed partial class AllocationLoop
{
    private const int BatchSize = 256;

    /// <summary>How often group status is brought up to date while a burst of Service changes is still queued.</summary>
    private static readonly TimeSpan GroupStatusInterval = TimeSpan.FromSeconds(1);

    private readonly IAllocatorSource source;
    private readonly IAllocationWriter writer;
    private readonly IDesiredStateSink sink;
    private readonly LoadBalancerClassFilter classes;
    private readonly AnnouncementTracker announcements;
    private readonly WorkQueue queue;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly int writeParallelism;
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> reportedForeign = new(StringComparer.Ordinal);
    private bool groupStatusDue;
    private DateTimeOffset lastGroupStatus = DateTimeOffset.MinValue;

    public AllocationLoop(IAllocatorSource source, IAllocationWriter writer, IDesiredStateSink sink, LoadBalancerClassFilter classes,
        AnnouncementTracker announcements, WorkQueue queue, ILogger logger, TimeProvider time, int writeParallelism = 8)
    {
        this.source = source ?? throw new ArgumentNullException(nameof(source));
        this.writer = writer ?? throw new ArgumentNullException(nameof(writer));
        this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
        this.classes = classes ?? throw new ArgumentNullException(nameof(classes));
        this.announcements = announcements ?? throw new ArgumentNullException(nameof(announcements));
        this.queue = queue ?? throw new ArgumentNullException(nameof(queue));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.writeParallelism = writeParallelism;
    }

    /// <summary>Our own Service writes: shared with a source that skips their echoes (KubernetesSource).</summary>
    public OwnServiceWrites Written { get; init; } = new();

    /// <summary>Set once the first full reconcile of a term is written; what /readyz and tests wait for.</summary>
    public bool Converged { get; private set; }

    /// <summary>Services holding addresses after the last batch (for metrics).</summary>
    public int AllocatedServices { get; private set; }

    /// <summary>Services waiting for an address after the last batch (for metrics).</summary>
    public int PendingServices { get; private set; }

    /// <summary>Service or ServiceGroup writes that failed and were retried (for metrics).</summary>
    public long FailedWrites => Interlocked.Read(ref failedWrites);

    private long failedWrites;

    public async Task RunTermAsync(CancellationToken cancellationToken)
    {
        await source.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var engine = new AllocationEngine(classes);
        SetGroups(engine);

        // Existing addresses first, before anything is allocated: no address moves because of a restart or a new leader.
        // Oldest first (the older of two incompatible claims keeps the address), one at a time so one bad object
        // cannot keep the others from being restored.
        var services = source.Services();
        foreach (var service in services
                     .Where(s => s.Metadata is not null)
                     .OrderBy(s => s.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
                     .ThenBy(s => s.Key, StringComparer.Ordinal))
        {
            try
            {
                engine.Restore([(service, source.NamespaceLabels(service.Metadata.Namespace ?? "default"))]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObjectFailed(logger, "Service " + service.Key, e);
            }
        }

        LogTermStarted(logger, services.Count, engine.Assignments().Count);
        await sink.BeginTermAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ProcessAsync(engine, [WorkQueue.Groups], cancellationToken).ConfigureAwait(false);
            await sink.TermConvergedAsync(cancellationToken).ConfigureAwait(false);
            Converged = true;
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = await queue.TakeAsync(BatchSize, cancellationToken).ConfigureAwait(false);
                try
                {
                    await ProcessAsync(engine, batch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Nothing one batch does may end allocation: per-object failures are handled below, this is the
                    // last line (a writer flush or a source that failed mid-batch). Retry the batch later.
                    Interlocked.Increment(ref failedBatches);
                    LogBatchFailed(logger, batch.Count, e);
                    foreach (var key in batch)
                    {
                        queue.AddAfter(key, TimeSpan.FromSeconds(1), time, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            Converged = false;
            await sink.EndTermAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Batches that failed as a whole and were retried (for metrics and tests); 0 in a healthy run.</summary>
    public long FailedBatches => Interlocked.Read(ref failedBatches);

    /// <summary>Objects skipped because processing them threw (for metrics and tests).</summary>
    public long SkippedObjects => Interlocked.Read(ref skippedObjects);

    private long failedBatches;
    private long skippedObjects;

    private void SetGroups(AllocationEngine engine)
    {
        GroupUpdateResult result;
        try
        {
            var foreign = PoolFormats.Default.Translate(source.ForeignResources());
            ReportForeign(foreign);
            result = engine.SetGroups(source.Groups(), foreign);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The previous pools stay in force.
            LogObjectFailed(logger, "ServiceGroups", e);
            Interlocked.Increment(ref skippedObjects);
            return;
        }

        foreach (var error in result.Errors)
        {
            var origin = engine.Foreign.Pools.FirstOrDefault(p => p.Name == error.Group);
            LogGroupRejected(logger, origin is null ? "ServiceGroup " + error.Group : $"{origin.Kind} {error.Group} ({origin.Origin})", error.Field, error.Message);
        }
    }

    /// <summary>Logs each problem of the foreign resources once (until it is fixed and comes back).</summary>
    private void ReportForeign(FormatTranslation foreign)
    {
        var current = foreign.Problems.Select(p => p.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var problem in foreign.Problems.Where(p => !reportedForeign.Contains(p.ToString())))
        {
            LogForeignProblem(logger, problem.Rejected ? "rejected" : "partly ignored", problem.ToString());
        }

        reportedForeign.Clear();
        reportedForeign.UnionWith(current);
    }

    private async Task ProcessAsync(AllocationEngine engine, IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var groupsChanged = false;
        foreach (var key in batch)
        {
            if (key == WorkQueue.Groups)
            {
                SetGroups(engine);
                groupsChanged = true;
            }

            if (key is WorkQueue.Groups or WorkQueue.AllServices)
            {
                keys.AddRange(source.Services().Where(s => s.Metadata is not null).Select(s => s.Key));
            }
            else
            {
                keys.Add(key);
            }
        }

        var writes = new List<(KubeService Service, ServiceDecision Decision)>();
        var freed = false;
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var service = Current(key);
                if (service is null)
                {
                    freed |= await ForgetAsync(engine, key, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var decision = engine.Reconcile(service, source.NamespaceLabels(service.Metadata.Namespace ?? "default"));
                if (decision.Owned || decision.Clear)
                {
                    decision = WithAnnouncers(decision, key);
                    writes.Add((service, decision));
                }

                freed |= decision.Clear;
                await PublishAsync(engine, service, decision, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One object that cannot be processed is reported and skipped; its next change queues it again.
                Interlocked.Increment(ref skippedObjects);
                LogObjectFailed(logger, "Service " + key, e);
            }
        }

        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = writeParallelism, CancellationToken = cancellationToken },
            async (item, ct) => await WriteAsync(item.Service, item.Decision, ct).ConfigureAwait(false)).ConfigureAwait(false);

        if (freed)
        {
            // Addresses came free: Services waiting for one get another chance.
            foreach (var pending in engine.Pending)
            {
                queue.Add($"{pending.Namespace}/{pending.Name}");
            }
        }

        if (groupsChanged)
        {
            await sink.PublishPeersAsync(engine.Foreign.Peers, cancellationToken).ConfigureAwait(false);
            await sink.PublishNodeAgentConfigAsync(engine.Foreign.NodeAgents, cancellationToken).ConfigureAwait(false);
        }

        // Group status and status objects read every group, pool and Service (O(Services) a pass): after every batch
        // of a 10,000-Service burst that made the burst quadratic. A batch that changed the pools and the last batch of
        // a burst write at once; in between, at most once per GroupStatusInterval.
        groupStatusDue |= groupsChanged || writes.Count > 0 || freed;
        if (groupStatusDue && (groupsChanged || queue.Count == 0 || time.GetUtcNow() - lastGroupStatus >= GroupStatusInterval))
        {
            groupStatusDue = false;
            lastGroupStatus = time.GetUtcNow();
            await WriteGroupStatusesAsync(engine, cancellationToken).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        AllocatedServices = engine.Assignments().Count;
        PendingServices = engine.Pending.Count;
    }

    private async Task<bool> ForgetAsync(AllocationEngine engine, string key, CancellationToken cancellationToken)
    {
        var serviceKey = ParseKey(key);
        var freed = engine.Remove(serviceKey);
        if (freed.Count > 0)
        {
            LogReleased(logger, key, string.Join(", ", freed));
        }

        await sink.ReleaseAsync(new ContractKey(serviceKey.Namespace, serviceKey.Name), cancellationToken).ConfigureAwait(false);
        await writer.ForgetServiceAsync(key, cancellationToken).ConfigureAwait(false);
        Written.Forget(key);
        return freed.Count > 0;
    }

    private ServiceDecision WithAnnouncers(ServiceDecision decision, string key)
    {
        if (!decision.Owned || decision.Addresses.Count == 0)
        {
            return decision;
        }

        var annotations = new Dictionary<string, string?>(decision.Annotations, StringComparer.Ordinal)
        {
            [BeaconAnnotations.AnnouncingNodes] = announcements.AnnotationFor(key),
        };
        return decision with { Annotations = annotations };
    }

    private async Task PublishAsync(AllocationEngine engine, KubeService service, ServiceDecision decision, CancellationToken cancellationToken)
    {
        var key = new ContractKey(decision.Key.Namespace, decision.Key.Name);
        if (decision.Owned && decision.Addresses.Count > 0)
        {
            var change = AllocationChangeBuilder.Build(service, decision.Addresses, source.ReadyNodes(service.Key), engine.RemoteGroups, source.NodeAddresses());
            change = AnnouncedPlacement.Apply(change, engine.AnnouncementOf(change.ServiceGroup));
            await sink.PublishAsync(change, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await sink.ReleaseAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(KubeService service, ServiceDecision decision, CancellationToken cancellationToken)
    {
        var key = service.Key;
        try
        {
            var result = await writer.WriteServiceAsync(service, decision, cancellationToken).ConfigureAwait(false);
            lock (failures)
            {
                failures.Remove(key);
            }

            if (result is not null)
            {
                Written.Record(key, result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            int attempt;
            lock (failures)
            {
                attempt = failures[key] = failures.GetValueOrDefault(key) + 1;
            }

            Interlocked.Increment(ref failedWrites);
            var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(attempt, 10))));
            LogWriteFailed(logger, key, e.Message, delay.TotalMilliseconds);
            queue.AddAfter(key, delay, time, cancellationToken);
        }
    }

    private async Task WriteGroupStatusesAsync(AllocationEngine engine, CancellationToken cancellationToken)
    {
        var statistics = engine.Statistics();
        // A group without a name cannot be written to (the API never holds one; only garbage from a source does).
        foreach (var group in source.Groups().Where(g => !string.IsNullOrEmpty(g.Metadata?.Name)))
        {
            try
            {
                var status = GroupStatusBuilder.Build(group, engine.Groups, statistics, time.GetUtcNow());
                if (!GroupStatusBuilder.Differs(group.Status, status))
                {
                    continue;
                }

                await writer.WriteGroupStatusAsync(group, status, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedWrites);
                LogWriteFailed(logger, "ServiceGroup " + group.Key, e.Message, 1000);
                queue.AddAfter(WorkQueue.Groups, TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }

        await WriteEipStatusesAsync(engine, cancellationToken).ConfigureAwait(false);
        await WriteStatusObjectsAsync(engine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each Eip's OpenELB status (usage, used addresses, Ready), written only when it differs from what it shows.</summary>
    private async Task WriteEipStatusesAsync(AllocationEngine engine, CancellationToken cancellationToken)
    {
        var eips = source.ForeignResources().Where(r => r.Kind == Formats.OpenElb.EipTranslator.Kind).ToList();
        if (eips.Count == 0)
        {
            return;
        }

        var byName = eips.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var statuses = Formats.OpenElb.EipStatuses.Build(eips, engine.Foreign, engine.Groups, engine.Assignments(),
            name => byName.TryGetValue(name, out var eip) ? Formats.OpenElb.EipStatusDocument.Ready(eip) : null, time.GetUtcNow());
        foreach (var (name, observed) in statuses)
        {
            var eip = byName[name];
            var status = Formats.OpenElb.EipStatusDocument.ToJson(observed);
            if (System.Text.Json.Nodes.JsonNode.DeepEquals(eip.Body["status"], status))
            {
                continue;
            }

            try
            {
                await writer.WriteForeignStatusAsync(eip, status, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedWrites);
                LogWriteFailed(logger, eip.Id, e.Message, 1000);
                queue.AddAfter(WorkQueue.Groups, TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }

    /// <summary>The Service from the source, or the object our last write returned while the source still shows what it replaced.</summary>
    private KubeService? Current(string key) => Written.Current(key, source.Service(key));

    private static ServiceKey ParseKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ServiceKey("default", key) : new ServiceKey(key[..slash], key[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Leading: {Services} Services seen, {Restored} restored with their existing addresses")]
    private static partial void LogTermStarted(ILogger logger, int services, int restored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Foreign resource {What}: {Problem}")]
    private static partial void LogForeignProblem(ILogger logger, string what, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Group} rejected: {Field}: {Reason}")]
    private static partial void LogGroupRejected(ILogger logger, string group, string field, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Skipped {Target}: processing it failed; every other object keeps being allocated")]
    private static partial void LogObjectFailed(ILogger logger, string target, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} keys failed; retrying it in 1 s")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service {Service} is gone; released {Addresses}")]
    private static partial void LogReleased(ILogger logger, string service, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Target} failed: {Reason}; retrying in {DelayMs} ms")]
    private static partial void LogWriteFailed(ILogger logger, string target, string reason, double delayMs);
}
