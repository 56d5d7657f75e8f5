using NATS.Client.JetStream.Models;

namespace Beacon.Messaging.Streams;

/// <summary>How the Allocator creates the state streams (section "Nats:Streams"); agents and tools only read them.</summary>
public sealed class JetStreamOptions
{
    /// <summary>Copies of each stream: 1 on a single server, 3 on a clustered NATS (survives losing one server).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// File keeps the state across a NATS restart (the Allocator need not republish); Memory is faster and loses it,
    /// which Beacon tolerates because the Allocator republishes whenever it finds the stream empty or behind.
    /// </summary>
    public StreamConfigStorage Storage { get; set; } = StreamConfigStorage.File;

    public int MaxMessageBytes { get; set; } = Contracts.CloudEventCodec.DefaultMaxBytes;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Replicas is not (1 or 3 or 5))
        {
            problems.Add("Nats:Streams:Replicas must be 1 (single server), 3 or 5 (clustered NATS).");
        }

        return problems;
    }
}
