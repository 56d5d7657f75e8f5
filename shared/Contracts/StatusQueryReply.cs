namespace Beacon.Contracts;

/// <summary>The leading Allocator's answer on <see cref="Subjects.QueryStatus"/>.</summary>
/// <param name="Allocator">Which Allocator answered (host name), so users can tell replicas apart.</param>
/// <param name="RejectedGroups">ServiceGroups not allocated from (overlap, reversed range, /0, …); absent from older Allocators.</param>
public sealed record StatusQueryReply(
    string Allocator,
    IReadOnlyList<PoolReport> Pools,
    IReadOnlyList<ServiceReport> Services,
    DateTimeOffset At,
    IReadOnlyList<RejectedGroupReport>? RejectedGroups = null);
