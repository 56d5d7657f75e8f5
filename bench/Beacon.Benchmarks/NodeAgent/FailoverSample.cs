namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// One kill: from its start (wall clock <see cref="StartedAt"/>) until the client heard another node, until the owner's
/// processes were frozen, and (Beacon only) until a surviving agent logged that it took the address over.
/// </summary>
internal sealed record FailoverSample(TimeSpan FromKill, TimeSpan Frozen)
{
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When a surviving agent logged the takeover (address plumbed, first gratuitous ARP sent), from the kill's start.</summary>
    public TimeSpan? Takeover { get; init; }

    /// <summary>From the moment the owner could no longer send anything until the client heard another node.</summary>
    public TimeSpan FromFreeze => FromKill - Frozen;

    /// <summary>From the freeze until the takeover was logged: detection, the echo rule's hold-back, decision, plumbing, first GARP.</summary>
    public TimeSpan? TakeoverAfterFreeze => Takeover - Frozen;
}
