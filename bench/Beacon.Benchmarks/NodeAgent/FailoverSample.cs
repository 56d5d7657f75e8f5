namespace Beacon.Benchmarks.NodeAgent;

/// <summary>One kill: from its start until the client heard another node, and until the owner's processes were frozen.</summary>
internal sealed record FailoverSample(TimeSpan FromKill, TimeSpan Frozen)
{
    /// <summary>From the moment the owner could no longer send anything until the client heard another node.</summary>
    public TimeSpan FromFreeze => FromKill - Frozen;
}
