namespace Beacon.Messaging.DesiredState;

public sealed class DesiredStateReplicaOptions
{
    public int MaxMessageBytes { get; set; } = Contracts.CloudEventCodec.DefaultMaxBytes;
}
