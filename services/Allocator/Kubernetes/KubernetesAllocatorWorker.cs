using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Hosting.Health;
using Beacon.Kube.Client;
using Beacon.Kube.Config;
using Beacon.Kube.Events;
using Beacon.Kube.LeaderElection;
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
        KubeConnection connection;
        try
        {
            connection = KubeConnection.FromEnvironment();
        }
        catch (KubeConfigException e)
        {
            LogNoConfiguration(logger, e.Message);
            throw;
        }

        var identity = FirstSet(options.LeaseIdentity, Environment.GetEnvironmentVariable("POD_NAME"), $"{Environment.MachineName}_{Guid.NewGuid():N}");
        using var client = new KubeApiClient(connection, new KubeClientOptions
        {
            Qps = options.KubeQps,
            Burst = options.KubeBurst,
            // The identity in the User-Agent lets audit logs (and tests) tell the replicas apart.
            UserAgent = $"beacon-allocator/{identity}",
        });
        var queue = new WorkQueue();
        var source = new KubernetesSource(client, queue, loggers);
        var informers = source.Start(stoppingToken);
        var announcements = new AnnouncementTracker();
        // Connects in the background: a bus that is down never blocks allocation (agents resync from snapshots later).
        (bus as Beacon.Messaging.Nats.NatsEventBus)?.Start();
        await using var subscription = await AnnouncementSubscription.StartAsync(bus, announcements, queue, loggers, stoppingToken).ConfigureAwait(false);

        await source.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
        readiness.MarkReady();

        var leaseNamespace = FirstSet(options.LeaseNamespace, Environment.GetEnvironmentVariable("POD_NAMESPACE"), connection.DefaultNamespace, "beacon-system");
        var elector = new LeaderElector(client.For(KubeResources.Leases), new LeaderElectionOptions
        {
            LeaseName = options.LeaseName,
            LeaseNamespace = leaseNamespace,
            Identity = identity,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.LeaseRenewDeadline,
            RetryPeriod = options.LeaseRetryPeriod,
        }, loggers.CreateLogger<LeaderElector>());
        var recorder = new EventRecorder(client.For(KubeResources.Events), new EventRecorderOptions
        {
            Component = "beacon-allocator",
            Instance = identity,
        }, loggers.CreateLogger<EventRecorder>());
        var writer = new KubernetesWriter(client, recorder, TimeProvider.System);
        var classes = new LoadBalancerClassFilter(options.LoadBalancerClass, options.CompatibleClasses, options.ServeUnclassed);
        var loop = new AllocationLoop(source, writer, sink, classes, announcements, queue, loggers.CreateLogger<AllocationLoop>(), TimeProvider.System,
            options.WriteParallelism);
        state.Attach(loop, () => elector.IsLeader);
        LogCandidate(logger, identity, leaseNamespace, options.LeaseName);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunAsync(loop.RunTermAsync, () => LogSteppedDown(logger, identity), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The term failed unexpectedly; the lease was released. Campaign again after a pause.
                LogTermFailed(logger, e);
                await Task.Delay(options.LeaseRetryPeriod, stoppingToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(informers).ConfigureAwait(false);
    }

    private static string FirstSet(params string?[] values) => values.First(v => !string.IsNullOrWhiteSpace(v))!;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot reach Kubernetes: {Reason}")]
    private static partial void LogNoConfiguration(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caches synced; campaigning as {Identity} for Lease {Namespace}/{Lease}")]
    private static partial void LogCandidate(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is no longer the leader; standing by")]
    private static partial void LogSteppedDown(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader term failed; campaigning again")]
    private static partial void LogTermFailed(ILogger logger, Exception exception);
}
