using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Service;

/// <summary>
/// Keeps <see cref="ClusterPeers"/> current from the BEACON_BGP_PEERS stream: its last value when reading starts (also
/// after every reconnect, so a restarted Announcer has the set at once), then every new one. Refused messages are
/// counted and logged, and the set read before stays in force.
/// </summary>
public static class ClusterPeersReader
{
    /// <summary>Starts reading; null when the bus is not NATS (nothing to read the stream from).</summary>
    public static IAsyncDisposable? Start(IEventBus bus, ClusterPeers peers, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(logger);
        if (bus is not NatsEventBus)
        {
            return null;
        }

        var reporter = new DroppedMessageReporter(logger, new MessagingCounters());
        var reader = new LastValueReader(
            bus,
            BeaconStreams.BgpPeers,
            (message, _) =>
            {
                if (peers.Apply(message) is { } error)
                {
                    reporter.Dropped(error, message.Subject);
                }

                return ValueTask.CompletedTask;
            },
            () => { },
            logger);
        reader.Start();
        return reader;
    }
}
