namespace Beacon.Messaging.DesiredState;

public sealed class DesiredStateReplicaOptions
{
    /// <summary>CloudEvents source of this replica's snapshot requests, e.g. <c>EventSources.NodeAgent(node)</c>.</summary>
    public string Source { get; set; } = "/beacon/replica";

    /// <summary>Services asked for per snapshot page (the Allocator may send fewer to stay under the size limit).</summary>
    public int SnapshotPageSize { get; set; } = 1000;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryDelayMin { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a replica behind a digest waits for the events in flight before resynchronising.</summary>
    public TimeSpan DigestGrace { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxMessageBytes { get; set; } = Contracts.CloudEventCodec.DefaultMaxBytes;
}
