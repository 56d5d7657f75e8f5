using Beacon.Contracts;

namespace Beacon.DaprSubscriber;

/// <summary>
/// What Dapr posts each allocation event to. Beacon's events already are CloudEvents, so Dapr delivers the envelope
/// as published (adding its own attributes such as <c>pubsubname</c>, <c>topic</c>, <c>traceparent</c>, which Beacon's
/// codec ignores); the raw body is decoded with Beacon's contract rather than unwrapped by Dapr's middleware, so the
/// event type (changed or released) and the envelope checks are kept.
/// </summary>
public static partial class AllocationEventEndpoint
{
    public const string Route = "/beacon/allocations";

    public static async Task<IResult> HandleAsync(HttpRequest request, AllocationView view, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(loggers);
        var log = loggers.CreateLogger(typeof(AllocationEventEndpoint));
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        var envelope = CloudEventCodec.Decode(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (!envelope.Succeeded)
        {
            LogDropped(log, "?", envelope.Error!.ToString());
            return Results.Ok(DaprDelivery.Drop);
        }

        var cloudEvent = envelope.Value!;
        if (cloudEvent.Is(EventTypes.AllocationChanged))
        {
            if (!cloudEvent.TryGetData(EventTypes.AllocationChanged, out var change, out var error))
            {
                LogDropped(log, cloudEvent.Id, error.ToString());
                return Results.Ok(DaprDelivery.Drop);
            }

            LogApplied(log, cloudEvent.Type, change.Service.ToString(), view.Apply(change));
        }
        else if (cloudEvent.Is(EventTypes.AllocationReleased))
        {
            if (!cloudEvent.TryGetData(EventTypes.AllocationReleased, out var release, out var error))
            {
                LogDropped(log, cloudEvent.Id, error.ToString());
                return Results.Ok(DaprDelivery.Drop);
            }

            LogApplied(log, cloudEvent.Type, release.Service.ToString(), view.Apply(release));
        }
        else
        {
            LogDropped(log, cloudEvent.Id, $"type {cloudEvent.Type} is not an allocation event");
            return Results.Ok(DaprDelivery.Drop);
        }

        return Results.Ok(DaprDelivery.Success);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped event {Id}: {Problem}")]
    private static partial void LogDropped(ILogger logger, string id, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Type} for {Service} (applied: {Applied})")]
    private static partial void LogApplied(ILogger logger, string type, string service, bool applied);
}
