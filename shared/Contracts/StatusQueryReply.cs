namespace Beacon.Contracts;

/// <summary>The leading Allocator's answer on <see cref="Subjects.QueryStatus"/>.</summary>
/// <param name="Allocator">Which Allocator answered (host name), so users can tell replicas apart.</param>
public sealed record StatusQueryReply(
    string Allocator,
    IReadOnlyList<PoolReport> Pools,
    IReadOnlyList<ServiceReport> Services,
    DateTimeOffset At);
