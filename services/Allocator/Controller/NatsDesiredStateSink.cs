using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Controller;

/// <summary>
/// Publishes the desired state with a <see cref="DesiredStatePublisher"/> created per leadership term, so only the
/// leader answers snapshot requests and every term has its own epoch.
/// </summary>
internal sealed partial class NatsDesiredStateSink : IDesiredStateSink
{
    private readonly IEventBus bus;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private DesiredStatePublisher? publisher;

    public NatsDesiredStateSink(IEventBus bus, ILoggerFactory loggers)
    {
        this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
        this.loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        logger = loggers.CreateLogger<NatsDesiredStateSink>();
    }

    /// <summary>The current term's published state (for tests and beaconctl), empty between terms.</summary>
    public IReadOnlyDictionary<ServiceKey, AllocationChanged> Published =>
        publisher?.Services ?? new Dictionary<ServiceKey, AllocationChanged>();

    public async Task BeginTermAsync(CancellationToken cancellationToken)
    {
        await EndTermAsync().ConfigureAwait(false);
        var next = new DesiredStatePublisher(bus, new DesiredStatePublisherOptions(), loggers.CreateLogger<DesiredStatePublisher>());
        await next.StartAsync(cancellationToken).ConfigureAwait(false);
        publisher = next;
    }

    public async Task EndTermAsync()
    {
        if (publisher is { } current)
        {
            publisher = null;
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken)
    {
        if (publisher is not { } current)
        {
            return;
        }

        try
        {
            await current.PublishChangeAsync(change, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EventBusUnavailableException or MessageTooLargeException or IOException)
        {
            // The publisher already holds the new state; agents catch up through snapshots and digests.
            LogPublishFailed(logger, change.Service.ToString(), e.Message);
        }
    }

    public async Task ReleaseAsync(ServiceKey service, CancellationToken cancellationToken)
    {
        if (publisher is not { } current)
        {
            return;
        }

        try
        {
            await current.PublishReleaseAsync(service, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EventBusUnavailableException or IOException)
        {
            LogPublishFailed(logger, service.ToString(), e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the desired state of {Service}: {Reason}; agents will resynchronise from a snapshot")]
    private static partial void LogPublishFailed(ILogger logger, string service, string reason);
}
