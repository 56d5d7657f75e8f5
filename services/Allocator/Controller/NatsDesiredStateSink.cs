using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Controller;

/// <summary>
/// Stores the desired state in JetStream with a <see cref="DesiredStatePublisher"/> created per leadership term, so
/// only the leader writes allocations and every term has its own epoch.
/// </summary>
internal sealed partial class NatsDesiredStateSink : IDesiredStateSink
{
    private readonly IEventBus bus;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private DesiredStatePublisher? publisher;
    private Peers.BgpPeerPublisher? peers;
    private NodeAgents.NodeAgentConfigPublisher? nodeAgents;

    private readonly Messaging.Streams.JetStreamOptions streams;

    public NatsDesiredStateSink(IEventBus bus, ILoggerFactory loggers, Messaging.Streams.JetStreamOptions? streams = null)
    {
        this.streams = streams ?? new Messaging.Streams.JetStreamOptions();
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
        var next = new DesiredStatePublisher(bus, new DesiredStatePublisherOptions { Streams = streams }, loggers.CreateLogger<DesiredStatePublisher>());
        await next.StartAsync(cancellationToken).ConfigureAwait(false);
        publisher = next;
        peers = new Peers.BgpPeerPublisher(bus, loggers.CreateLogger<Peers.BgpPeerPublisher>(), streams);
        nodeAgents = new NodeAgents.NodeAgentConfigPublisher(bus, loggers.CreateLogger<NodeAgents.NodeAgentConfigPublisher>(), streams);
    }

    public async Task TermConvergedAsync(CancellationToken cancellationToken)
    {
        if (publisher is { } current && bus.State == BusConnectionState.Connected)
        {
            try
            {
                // Bounded: with NATS unreachable the term goes on, and the stale entries wait for the next term.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await current.ReleaseUnknownAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogPublishFailed(logger, "(services left from before this term)", "the stream could not be read in time");
            }
        }
    }

    public async Task EndTermAsync()
    {
        peers?.Dispose();
        peers = null;
        nodeAgents?.Dispose();
        nodeAgents = null;
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
            // The publisher already holds the new state and stores it on its next repair pass.
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

    public Task PublishPeersAsync(IReadOnlyList<BgpPeerConfig> set, CancellationToken cancellationToken) =>
        peers?.PublishAsync(set, cancellationToken) ?? Task.CompletedTask;

    public Task PublishNodeAgentConfigAsync(IReadOnlyList<NodeAgentConfig> agents, CancellationToken cancellationToken) =>
        nodeAgents?.PublishAsync(agents, cancellationToken) ?? Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the desired state of {Service}: {Reason}; it is stored on the next repair pass")]
    private static partial void LogPublishFailed(ILogger logger, string service, string reason);
}
