using Microsoft.Extensions.Logging;

namespace Beacon.Kube.Informers;

internal static partial class InformerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Informer {Resource}: listed {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Informer {Resource}: resourceVersion {ResourceVersion} expired (410 Gone); relisting")]
    public static partial void Expired(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Informer {Resource}: {Error}; retrying in {Delay}")]
    public static partial void Failed(ILogger logger, string resource, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Informer {Resource}: event handler failed for {Key}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string resource, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Informer {Resource}: the server closed the watch before its first event; resuming from resourceVersion {ResourceVersion}")]
    public static partial void ClosedEarly(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Informer {Resource}: the watch stream reported {Error}; resuming")]
    public static partial void StreamError(ILogger logger, string resource, string error);
}
