namespace Beacon.Contracts;

/// <summary>
/// The Allocator's periodic summary: a replica at the same (<see cref="Epoch"/>, <see cref="Sequence"/>) must have
/// <see cref="Count"/> services whose <see cref="DesiredStateHash"/> equals <see cref="Hash"/>, or it resynchronises.
/// </summary>
public sealed record DesiredStateDigest(string Epoch, long Sequence, int Count, string Hash);
