using Beacon.Messaging.Streams;

namespace Beacon.Messaging.DesiredState;

public sealed class DesiredStatePublisherOptions
{
    /// <summary>This Allocator's epoch; null generates a fresh one (time + random) per publisher instance.</summary>
    public string? Epoch { get; set; }

    public string Source { get; set; } = Contracts.EventSources.Allocator;

    /// <summary>Replicas and storage of the streams this publisher creates.</summary>
    public JetStreamOptions Streams { get; set; } = new();

    /// <summary>How often the stream is checked for lost state (also right after every (re)connect).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one stored publish may take before the Service is left for the next repair pass.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stores sent before the oldest must be acknowledged. One at a time costs a round trip per change (43 changes/s
    /// in the bus benchmark); a window keeps the connection busy (see docs/benchmarks.md, bus).
    /// </summary>
    public int MaxAcksInFlight { get; set; } = 256;

    public int MaxMessageBytes { get; set; } = Contracts.CloudEventCodec.DefaultMaxBytes;
}
