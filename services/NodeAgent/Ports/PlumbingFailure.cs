using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Ports;

/// <summary>One address of a batch the kernel did not take, and why.</summary>
public sealed record PlumbingFailure(PlumbedAddress Address, string Error);
