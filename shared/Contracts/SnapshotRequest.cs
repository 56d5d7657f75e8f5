namespace Beacon.Contracts;

/// <summary>
/// Asks the Allocator for one page of its desired state. The first request (page 0) leaves <see cref="Epoch"/> and
/// <see cref="Sequence"/> null; following pages repeat the values page 0 returned so every page reflects the same state.
/// </summary>
public sealed record SnapshotRequest(int Page, int PageSize, string? Epoch = null, long? Sequence = null);
