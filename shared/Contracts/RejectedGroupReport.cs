namespace Beacon.Contracts;

/// <summary>A ServiceGroup the Allocator does not allocate from, and every reason why (field: problem).</summary>
public sealed record RejectedGroupReport(string Group, IReadOnlyList<string> Reasons);
