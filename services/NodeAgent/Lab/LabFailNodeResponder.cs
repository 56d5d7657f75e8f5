using Beacon.Contracts;
using Beacon.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Lab;

/// <summary>
/// Lab/testing only (<c>--lab-commands true</c>): on <see cref="Subjects.LabFailNode"/> for this node, replies first and
/// then simulates node death, so <c>beaconctl fail-node</c> can demonstrate failover.
/// </summary>
public sealed partial class LabFailNodeResponder(IEventBus bus, string node, INodeDeath death, ILogger<LabFailNodeResponder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reporter = new DroppedMessageReporter(logger, new MessagingCounters());
        await using var subscription = await bus.SubscribeEventsAsync(Subjects.LabFailNode(node), QueryEventTypes.FailNodeRequest,
            async (request, message, ct) =>
            {
                var accepted = request.Node == node;
                var reply = new FailNodeReply(node, accepted, accepted
                    ? $"{node}: link down and agent stopping now; peers take over after missed heartbeats"
                    : $"{node} refuses a request naming '{request.Node}'");
                if (message.ReplyTo is not null)
                {
                    await bus.PublishAsync(message.ReplyTo, CloudEventCodec.Encode(QueryEventTypes.FailNodeReply, reply, EventSources.NodeAgent(node)),
                        cancellationToken: ct).ConfigureAwait(false);
                    // The reply must leave before the process dies.
                    await bus.FlushAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                }

                if (accepted)
                {
                    LogDying(logger, node);
                    await death.DieAsync("beaconctl fail-node").ConfigureAwait(false);
                }
            },
            reporter,
            cancellationToken: stoppingToken).ConfigureAwait(false);
        LogListening(logger, Subjects.LabFailNode(node));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lab commands enabled: {Subject} makes this agent simulate node death (never enable outside a lab)")]
    private static partial void LogListening(ILogger logger, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lab fail-node request for {Node}: simulating node death")]
    private static partial void LogDying(ILogger logger, string node);
}
