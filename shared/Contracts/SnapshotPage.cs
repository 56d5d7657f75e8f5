namespace Beacon.Contracts;

/// <summary>One page of the desired state as of (<see cref="Epoch"/>, <see cref="Sequence"/>), ordered by service key.</summary>
/// <param name="Total">Number of services in the whole snapshot.</param>
/// <param name="More">Whether a further page exists.</param>
/// <param name="Error">Set when the page cannot be served (e.g. the requested version expired): start again at page 0.</param>
public sealed record SnapshotPage(
    string Epoch,
    long Sequence,
    int Page,
    int PageSize,
    int Total,
    bool More,
    IReadOnlyList<AllocationChanged> Items,
    string? Error = null);
