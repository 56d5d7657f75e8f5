namespace Beacon.Lab;

/// <summary>What the lab saw for one service address: how it is reached, who announces it, what the client got.</summary>
public sealed record LabObservation(string Service, string Address, int Port, string Mode, IReadOnlyList<string> AnnouncingNodes, string? Answer)
{
    public bool Reachable => Answer is not null;
}
