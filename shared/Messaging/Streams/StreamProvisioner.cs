using NATS.Client.JetStream;

namespace Beacon.Messaging.Streams;

/// <summary>Creates or updates Beacon's streams; only the Allocator has the permission to do this.</summary>
public static class StreamProvisioner
{
    public static async Task EnsureAsync(INatsJSContext jetStream, JetStreamOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jetStream);
        foreach (var config in BeaconStreams.Configs(options))
        {
            await jetStream.CreateOrUpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
        }
    }
}
