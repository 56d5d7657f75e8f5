namespace Beacon.Contracts;

/// <summary>
/// Services [<see cref="Offset"/>, <see cref="Offset"/> + Items.Count) of the desired state as of
/// (<see cref="Epoch"/>, <see cref="Sequence"/>), in service-key order. A page may hold fewer than the requested limit
/// (pages stay under the message size limit); ask for the next one at Offset + Items.Count while <see cref="More"/>.
/// </summary>
/// <param name="Total">Number of services in the whole snapshot.</param>
/// <param name="Error">Set when the page cannot be served (e.g. that version expired): start again at offset 0.</param>
public sealed record SnapshotPage(
    string Epoch,
    long Sequence,
    int Offset,
    int Total,
    bool More,
    IReadOnlyList<AllocationChanged> Items,
    string? Error = null);
