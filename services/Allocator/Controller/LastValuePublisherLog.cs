using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Controller;

/// <summary>Log lines of <see cref="LastValuePublisher{T}"/> (the logging generator does not take generic classes).</summary>
internal static partial class LastValuePublisherLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} {What} for the nodes: {Names}")]
    public static partial void Published(ILogger logger, int count, string what, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the {Count} {What}: {Reason}")]
    public static partial void PublishFailed(ILogger logger, int count, string what, string reason);
}
