using Microsoft.Extensions.Logging;

namespace Beacon.Kube.Events;

internal static partial class EventRecorderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record event {Reason} for {Object}: {Error}")]
    public static partial void Failed(ILogger logger, string reason, string @object, string error);
}
