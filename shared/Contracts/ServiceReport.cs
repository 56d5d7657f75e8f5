namespace Beacon.Contracts;

/// <summary>One LoadBalancer Service the Allocator manages, as beaconctl status shows it.</summary>
/// <param name="State">"Allocated" when the Service holds its addresses, otherwise the condition reason (e.g. "PoolExhausted").</param>
/// <param name="Message">The Service's condition message, in the Allocator's words.</param>
/// <param name="AnnouncingNodes">Nodes whose agents announce an address of the Service, sorted.</param>
public sealed record ServiceReport(
    ServiceKey Service,
    string? Group,
    IReadOnlyList<string> Addresses,
    string State,
    string? Message,
    IReadOnlyList<string> AnnouncingNodes);
