using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Hosting.Health;
using Beacon.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// The Allocator without Kubernetes: Services and ServiceGroups from a manifest directory, assignments kept in a state
/// file so a restart moves nothing, desired state on NATS as usual. One instance, so no leader election.
/// </summary>
internal sealed partial class StandaloneAllocatorWorker : BackgroundService
{
    /// <summary>The namespace the status objects name (no cluster here; the one a Beacon install uses).</summary>
    private const string StatusNamespace = "beacon-system";

    private readonly AllocatorOptions options;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ReadinessFlag readiness;
    private readonly IDesiredStateSink sink;
    private readonly AllocatorState state;
    private readonly IEventBus? bus;

    public StandaloneAllocatorWorker(AllocatorOptions options, ILoggerFactory loggers, ReadinessFlag readiness, IDesiredStateSink sink,
        AllocatorState state, IEventBus? bus = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        this.readiness = readiness ?? throw new ArgumentNullException(nameof(readiness));
        this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
        this.state = state ?? throw new ArgumentNullException(nameof(state));
        this.bus = bus;
        logger = loggers.CreateLogger<StandaloneAllocatorWorker>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = new AssignmentStateFile(options.StateFile);
        IReadOnlyList<Kube.Models.Service> saved;
        try
        {
            saved = file.Load();
        }
        catch (InvalidDataException e)
        {
            // Never guess: starting empty could hand a Service's address to another one.
            LogUnreadableState(logger, e.Message);
            throw;
        }

        var store = new StandaloneStatusStore(saved);
        var queue = new WorkQueue();
        using var source = new ManifestDirectorySource(options.ManifestsDirectory, store, queue, loggers.CreateLogger<ManifestDirectorySource>());
        var announcements = new AnnouncementTracker();
        (bus as Beacon.Messaging.Nats.NatsEventBus)?.Start();
        await using var subscription = await AnnouncementSubscription.StartAsync(bus, announcements, queue, loggers, stoppingToken).ConfigureAwait(false);
        var watching = source.RunAsync(options.RescanInterval, stoppingToken);
        await source.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
        LogStarted(logger, options.ManifestsDirectory, file.Path, saved.Count);

        var classes = new LoadBalancerClassFilter(options.LoadBalancerClass, options.CompatibleClasses, options.ServeUnclassed);
        var writer = new StateFileWriter(store, file, loggers.CreateLogger<StateFileWriter>(), TimeProvider.System, StatusNamespace);
        var loop = new AllocationLoop(source, writer, sink, classes, announcements, queue, loggers.CreateLogger<AllocationLoop>(), TimeProvider.System,
            options.WriteParallelism) { StatusNamespace = StatusNamespace };
        state.Attach(loop, () => true);
        readiness.MarkReady();
        try
        {
            await loop.RunTermAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await watching.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot read the assignment state: {Reason}. Fix or move the file; starting without it could move addresses")]
    private static partial void LogUnreadableState(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standalone: manifests from {Directory}, assignments in {StateFile} ({Saved} Services restored)")]
    private static partial void LogStarted(ILogger logger, string directory, string stateFile, int saved);
}
