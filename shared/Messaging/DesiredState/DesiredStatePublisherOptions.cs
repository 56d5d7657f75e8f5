namespace Beacon.Messaging.DesiredState;

public sealed class DesiredStatePublisherOptions
{
    /// <summary>This Allocator's epoch; null generates a fresh one (time + random) per publisher instance.</summary>
    public string? Epoch { get; set; }

    public string Source { get; set; } = Contracts.EventSources.Allocator;

    /// <summary>How often the digest is published (also right after every (re)connect).</summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest number of services in one snapshot page, whatever a replica asks for.</summary>
    public int MaxPageItems { get; set; } = 2000;

    /// <summary>Encoded pages stay under this many bytes (below the bus message limit).</summary>
    public int MaxPageBytes { get; set; } = 768 * 1024;

    /// <summary>How long a snapshot version stays available for follow-up page requests.</summary>
    public TimeSpan SnapshotRetention { get; set; } = TimeSpan.FromSeconds(60);
}
