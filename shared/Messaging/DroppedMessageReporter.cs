using System.Collections.Concurrent;
using Beacon.Contracts;
using Microsoft.Extensions.Logging;

namespace Beacon.Messaging;

/// <summary>Counts every dropped message and logs only the first of each kind, so garbage on the wire cannot flood the log.</summary>
public sealed partial class DroppedMessageReporter(ILogger logger, MessagingCounters counters)
{
    private readonly ConcurrentDictionary<DecodeErrorKind, bool> _logged = new();

    public MessagingCounters Counters { get; } = counters;

    public void Dropped(DecodeError error, string subject)
    {
        ArgumentNullException.ThrowIfNull(error);
        Counters.Dropped(error.Kind);
        if (_logged.TryAdd(error.Kind, true))
        {
            LogFirstDrop(logger, error.Kind, subject, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping {Kind} message on {Subject}: {Reason} (further drops of this kind are only counted)")]
    private static partial void LogFirstDrop(ILogger logger, DecodeErrorKind kind, string subject, string reason);
}
