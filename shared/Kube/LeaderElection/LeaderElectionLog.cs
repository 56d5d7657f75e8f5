using Microsoft.Extensions.Logging;

namespace Beacon.Kube.LeaderElection;

internal static partial class LeaderElectionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} became leader of lease {Lease}")]
    public static partial void Acquired(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost leadership of lease {Lease}")]
    public static partial void Lost(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease} is held by {Holder}")]
    public static partial void NewLeader(ILogger logger, string lease, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease}: attempt failed: {Error}")]
    public static partial void AttemptFailed(ILogger logger, string lease, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader work for lease {Lease} failed")]
    public static partial void WorkFailed(ILogger logger, Exception exception, string lease);
}
