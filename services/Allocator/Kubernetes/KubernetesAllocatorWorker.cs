using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Hosting.Health;
using Beacon.Kube.Events;
using Beacon.Kube.Library;
using Beacon.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// The Allocator as a Kubernetes controller: informers on every replica, Lease leader election, and an
/// <see cref="AllocationLoop"/> term while leading. Only the leader writes.
/// </summary>
internal sealed partial class KubernetesAllocatorWorker : BackgroundService
{
    private readonly AllocatorOptions options;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ReadinessFlag readiness;
    private readonly IDesiredStateSink sink;
    private readonly IEventBus? bus;
    private readonly AllocatorState state;
    private bool leading;

    public KubernetesAllocatorWorker(AllocatorOptions options, ILoggerFactory loggers, ReadinessFlag readiness, IDesiredStateSink sink,
        AllocatorState state, IEventBus? bus = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        this.readiness = readiness ?? throw new ArgumentNullException(nameof(readiness));
        this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
        this.state = state ?? throw new ArgumentNullException(nameof(state));
        this.bus = bus;
        logger = loggers.CreateLogger<KubernetesAllocatorWorker>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        k8s.KubernetesClientConfiguration configuration;
        try
        {
            configuration = ClusterConfiguration.Load();
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            LogNoConfiguration(logger, e.Message);
            throw;
        }

        var identity = FirstSet(options.LeaseIdentity, Environment.GetEnvironmentVariable("POD_NAME"), $"{Environment.MachineName}_{Guid.NewGuid():N}");
        // The identity in the User-Agent lets audit logs (and tests) tell the replicas apart.
        using var client = KubeClients.Create(configuration, options.KubeQps, options.KubeBurst, $"beacon-allocator/{identity}");
        var queue = new WorkQueue();
        var written = new OwnServiceWrites();
        var source = new KubernetesSource(client, queue, loggers, ownWrites: written);
        var informers = source.Start(stoppingToken);
        var announcements = new AnnouncementTracker();
        var strictArpFindings = new Nodes.NodeStrictArpFindings();
        // Connects in the background: a bus that is down never blocks allocation (agents resync from snapshots later).
        (bus as Beacon.Messaging.Nats.NatsEventBus)?.Start();
        await using var subscription = await AnnouncementSubscription.StartAsync(bus, announcements, queue, loggers, stoppingToken,
            status => strictArpFindings.Record(status)).ConfigureAwait(false);

        // Campaign while the caches fill, as controller-runtime does: a term waits for them anyway (RunTermAsync), and a
        // replica started by a rolling update holds the released Lease by the time its initial lists are in.
        var synced = MarkReadyWhenSyncedAsync(source, stoppingToken);

        var leaseNamespace = FirstSet(options.LeaseNamespace, Environment.GetEnvironmentVariable("POD_NAMESPACE"), configuration.Namespace, "beacon-system");
        // Lease renewals get their own client: queued behind the rate limit of a big write burst they could miss the
        // renew deadline and cost the leadership.
        using var electionClient = new k8s.Kubernetes(configuration);
        var election = new k8s.LeaderElection.LeaderElectionConfig(
            new k8s.LeaderElection.ResourceLock.LeaseLock(electionClient, leaseNamespace, options.LeaseName, identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.LeaseRenewDeadline,
            RetryPeriod = options.LeaseRetryPeriod,
        };
        var recorder = new EventRecorder(client, new EventRecorderOptions
        {
            Component = "beacon-allocator",
            Instance = identity,
        }, loggers.CreateLogger<EventRecorder>());
        var writer = new KubernetesWriter(client, recorder, TimeProvider.System,
            new StatusObjectWriter(client, leaseNamespace, loggers.CreateLogger<StatusObjectWriter>()));
        // IPVS without strictARP breaks layer 2 cluster-wide: say so on kube-proxy's ConfigMap (docs/operations.md).
        var strictArp = new KubeProxyStrictArpCheck(client, recorder, logger, TimeProvider.System, () => Volatile.Read(ref leading))
            .RunAsync(stoppingToken);
        // ... and on each Node whose agent finds it (the node's status on the bus carries the finding).
        var nodeStrictArp = new Nodes.NodeStrictArpEvents(recorder, strictArpFindings, () => Volatile.Read(ref leading), logger, TimeProvider.System)
            .RunAsync(stoppingToken);
        var classes = new LoadBalancerClassFilter(options.LoadBalancerClass, options.CompatibleClasses, options.ServeUnclassed);
        var loop = new AllocationLoop(source, writer, sink, classes, announcements, queue, loggers.CreateLogger<AllocationLoop>(), TimeProvider.System,
            options.WriteParallelism) { StatusNamespace = leaseNamespace, Written = written };
        state.Attach(loop, () => Volatile.Read(ref leading));
        LogCandidate(logger, identity, leaseNamespace, options.LeaseName);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LeadOneTermAsync(election, loop, identity, stoppingToken).ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested)
                {
                    await ReleaseLeaseAsync(electionClient, leaseNamespace, identity).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await ReleaseLeaseAsync(electionClient, leaseNamespace, identity).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The API server was unreachable or the term failed; campaign again after a pause.
                LogTermFailed(logger, e);
                await Task.Delay(options.LeaseRetryPeriod, stoppingToken).ConfigureAwait(false);
            }
        }

        await synced.ConfigureAwait(false);
        await Task.WhenAll(informers).ConfigureAwait(false);
        await strictArp.ConfigureAwait(false);
        await nodeStrictArp.ConfigureAwait(false);
    }

    /// <summary>
    /// One campaign with the library's elector: wait for the Lease, run an allocation term while renewing it, end the
    /// term the moment renewal fails. A term that fails ends the leadership too (the Lease then expires for a standby).
    /// </summary>
    private async Task LeadOneTermAsync(k8s.LeaderElection.LeaderElectionConfig election, AllocationLoop loop, string identity, CancellationToken stoppingToken)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var elector = new k8s.LeaderElection.LeaderElector(election);
        Task? running = null;
        elector.OnStartedLeading += () =>
        {
            Volatile.Write(ref leading, true);
            running = Task.Run(async () =>
            {
                try
                {
                    await loop.RunTermAsync(term.Token).ConfigureAwait(false);
                }
                finally
                {
                    // However the term ends, stop renewing: only a leader running a term may hold the Lease.
                    await term.CancelAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            Volatile.Write(ref leading, false);
            term.Cancel();
        };
        try
        {
            await elector.RunUntilLeadershipLostAsync(term.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // Lost, failed or shutting down: the term is wound down below.
        }
        finally
        {
            Volatile.Write(ref leading, false);
            await term.CancelAsync().ConfigureAwait(false);
            if (running is not null)
            {
                // Never campaign again while the previous term is still writing.
                try
                {
                    await running.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (term.IsCancellationRequested)
                {
                    // Ended by losing the Lease or by shutdown.
                }

                LogSteppedDown(logger, identity);
            }
        }
    }

    /// <summary>
    /// On a graceful stop, after the term's last write: hand the Lease over at once (a standby or the next pod leads
    /// without waiting out the lease duration). Bounded, since the host gives shutdown only a few seconds.
    /// </summary>
    private async Task ReleaseLeaseAsync(k8s.IKubernetes client, string leaseNamespace, string identity)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            if (await LeaseRelease.ReleaseAsync(client, leaseNamespace, options.LeaseName, identity, timeout.Token).ConfigureAwait(false))
            {
                LogReleased(logger, identity, leaseNamespace, options.LeaseName);
            }
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or OperationCanceledException)
        {
            // The Lease then expires as after a crash.
            LogReleaseFailed(logger, e.Message);
        }
    }

    private async Task MarkReadyWhenSyncedAsync(KubernetesSource source, CancellationToken stoppingToken)
    {
        try
        {
            await source.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            readiness.MarkReady();
            LogSynced(logger);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the caches were in.
        }
    }

    private static string FirstSet(params string?[] values) => values.First(v => !string.IsNullOrWhiteSpace(v))!;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot reach Kubernetes: {Reason}")]
    private static partial void LogNoConfiguration(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caches synced")]
    private static partial void LogSynced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caches syncing; campaigning as {Identity} for Lease {Namespace}/{Lease}")]
    private static partial void LogCandidate(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is no longer the leader; standing by")]
    private static partial void LogSteppedDown(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released Lease {Namespace}/{Lease} on shutdown")]
    private static partial void LogReleased(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the Lease on shutdown ({Reason}); it expires after its duration")]
    private static partial void LogReleaseFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader term failed; campaigning again")]
    private static partial void LogTermFailed(ILogger logger, Exception exception);
}
