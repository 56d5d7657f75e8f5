namespace Beacon.Lab;

/// <summary>
/// What the lab saw for one service address: how it is reached, who announces it, what the client got, and which
/// nodes should announce it (<see cref="ExpectedNextHops"/>: null for layer 2, where exactly one node owns it).
/// </summary>
public sealed record LabObservation(
    string Service, string Address, int Port, string Mode, IReadOnlyList<string> AnnouncingNodes, string? Answer,
    IReadOnlyList<string>? ExpectedNextHops = null)
{
    public bool Reachable => Answer is not null;

    /// <summary>
    /// The client gets an answer and the kernel shows the final state: one owner for a layer-2 address, and for a
    /// routed one every expected ECMP next hop. One BGP session up is enough to answer, so reachability alone is not.
    /// </summary>
    public bool Converged =>
        Reachable && (ExpectedNextHops is null
            ? AnnouncingNodes.Count == 1
            : AnnouncingNodes.ToHashSet(StringComparer.Ordinal).SetEquals(ExpectedNextHops));
}
