namespace Beacon.Contracts;

/// <summary>
/// Asks the Allocator for up to <see cref="Limit"/> services starting at <see cref="Offset"/> (in service-key order).
/// The first request leaves <see cref="Epoch"/> and <see cref="Sequence"/> null; following requests repeat what the
/// first page returned so every page reflects the same version of the desired state.
/// </summary>
public sealed record SnapshotRequest(int Offset, int Limit, string? Epoch = null, long? Sequence = null);
