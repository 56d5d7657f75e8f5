using Beacon.Allocator.Controller;
using Beacon.Contracts;
using Beacon.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Queries;

/// <summary>
/// Answers beaconctl's <see cref="Subjects.QueryStatus"/> and <see cref="Subjects.QueryExplain"/> requests. Every
/// replica subscribes (no queue group) and only the leader answers, so a request never lands on a silent standby.
/// </summary>
internal sealed partial class QueryResponder(IEventBus bus, AllocatorState state, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger<QueryResponder>();
    private readonly LiveAgents agents = new(TimeProvider.System);
    private readonly string allocator = Environment.MachineName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reporter = new DroppedMessageReporter(logger, new MessagingCounters());
        await using var heartbeats = await bus.SubscribeHeartbeatsAsync((h, _) =>
        {
            agents.Record(h);
            return ValueTask.CompletedTask;
        }, reporter, stoppingToken).ConfigureAwait(false);
        await using var status = await bus.SubscribeEventsAsync(Subjects.QueryStatus, QueryEventTypes.StatusRequest,
            (request, message, ct) => ReplyAsync(message, view => QueryEventTypes.StatusReply.Encode(
                StatusReportBuilder.Build(view, request, allocator, DateTimeOffset.UtcNow)), ct), reporter, cancellationToken: stoppingToken).ConfigureAwait(false);
        await using var explain = await bus.SubscribeEventsAsync(Subjects.QueryExplain, QueryEventTypes.ExplainRequest,
            (request, message, ct) => ReplyAsync(message, view => QueryEventTypes.ExplainReply.Encode(
                ExplainReportBuilder.Build(view, request.Service)), ct), reporter, cancellationToken: stoppingToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async ValueTask ReplyAsync(BusMessage message, Func<AllocatorView, byte[]> answer, CancellationToken cancellationToken)
    {
        var loop = state.Loop;
        if (message.ReplyTo is null || loop is null || !state.IsLeader)
        {
            // A standby (or a leader still loading) stays silent: the leader answers, or beaconctl reports that nobody did.
            return;
        }

        try
        {
            var source = loop.Source;
            var view = new AllocatorView(
                source.Services(),
                source.Groups(),
                loop.Classes,
                source.NamespaceLabels,
                key => loop.Announcements.AnnotationFor(key)?.Split(',') ?? [],
                source.ReadyNodes,
                agents.Live(),
                source.ForeignResources());
            await bus.PublishAsync(message.ReplyTo, answer(view), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogQueryFailed(logger, message.Subject, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering {Subject} failed: {Reason}")]
    private static partial void LogQueryFailed(ILogger logger, string subject, string reason);
}
