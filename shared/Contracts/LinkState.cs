namespace Beacon.Contracts;

/// <summary>The node interface's link as the kernel reports it.</summary>
/// <param name="OperState">The kernel operstate (<c>up</c>, <c>down</c>, <c>unknown</c>, ...).</param>
public sealed record LinkState(bool Up, string OperState, bool Carrier);
