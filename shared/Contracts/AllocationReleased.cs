namespace Beacon.Contracts;

/// <summary>The Service no longer has addresses: nodes remove them. Sequenced in the same stream as changes.</summary>
public sealed record AllocationReleased(ServiceKey Service, long Sequence, string Epoch);
