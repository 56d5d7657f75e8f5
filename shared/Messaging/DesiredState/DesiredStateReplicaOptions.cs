namespace Beacon.Messaging.DesiredState;

public sealed class DesiredStateReplicaOptions
{
    public int MaxMessageBytes { get; set; } = Contracts.CloudEventCodec.DefaultMaxBytes;

    /// <summary>
    /// Live changes buffered while the replica is busy (about 700 bytes each); one more than this is a gap, and the
    /// replica reads the stream again. The default holds a burst of 10,000 changes several times over.
    /// </summary>
    public int LiveBufferCapacity { get; set; } = 65_536;
}
